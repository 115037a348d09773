from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..codes import is_valid_npi


class HcFacility(models.Model):
    _name = "hc.facility"
    _description = "Healthcare Facility"
    _inherit = ["mail.thread"]
    _order = "code"
    _check_company_auto = True

    code = fields.Char(
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="Short code that external systems send to name this facility.",
    )
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    npi = fields.Char(string="NPI", size=10, copy=False, tracking=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Billing Address",
        check_company=True,
        help="The billing provider address printed on claims.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(company_id, code)",
            "The facility code must be unique per company.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for facility in self:
            facility.display_name = f"[{facility.code}] {facility.name}" if facility.code else facility.name

    @api.constrains("npi")
    def _check_npi(self):
        for facility in self.filtered("npi"):
            if not is_valid_npi(facility.npi):
                raise ValidationError(
                    _("%(npi)s is not a valid NPI (ten digits with a valid check digit).", npi=facility.npi)
                )

    @api.model
    def _hc_find_by_code(self, code, company=None):
        """Return the active facility with this code in ``company`` (default: current)."""
        company = company or self.env.company
        return self.search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
