from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

from ..codes import parse_modifiers

CODE_SYSTEMS = [
    ("CPT", "CPT"),
    ("HCPCS", "HCPCS"),
    ("LOINC", "LOINC"),
    ("internal", "Internal"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    hc_code_system = fields.Selection(selection=CODE_SYSTEMS, string="Code System")
    hc_service_code = fields.Char(
        string="Service Code",
        index=True,
        copy=False,
        help="The billing code of this service in its code system (e.g. CPT 85025). "
        "The sales price is the chargemaster price.",
    )
    hc_revenue_code = fields.Char(string="Revenue Code", size=4, help="UB-04 revenue code, e.g. 0300.")
    hc_default_modifiers = fields.Char(
        string="Default Modifiers", help="Comma-separated modifiers added to every line, e.g. QW."
    )
    hc_is_billable_service = fields.Boolean(
        string="Billable Service", compute="_compute_hc_is_billable_service", store=True, index=True
    )

    @api.depends("hc_code_system", "hc_service_code")
    def _compute_hc_is_billable_service(self):
        for template in self:
            template.hc_is_billable_service = bool(template.hc_code_system and template.hc_service_code)

    @api.model
    def _hc_no_default_sales_tax(self, vals_list):
        """Healthcare services carry no sales tax unless one is given on purpose.

        Odoo puts the company's default sales tax on every new product; for a
        service with a billing code the default is no tax.  Called before the
        defaults are filled in, by ``create`` of templates and of variants.
        """
        for vals in vals_list:
            if vals.get("hc_code_system") and vals.get("hc_service_code") and "taxes_id" not in vals:
                vals["taxes_id"] = [Command.clear()]
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._hc_no_default_sales_tax(vals_list))

    @api.constrains("hc_code_system", "hc_service_code")
    def _check_hc_service_code(self):
        for template in self.filtered("hc_service_code"):
            if not template.hc_code_system:
                raise ValidationError(_("A service code needs a code system."))
            domain = [
                ("id", "!=", template.id),
                ("hc_code_system", "=", template.hc_code_system),
                ("hc_service_code", "=", template.hc_service_code),
            ]
            if template.company_id:
                domain += ["|", ("company_id", "=", False), ("company_id", "=", template.company_id.id)]
            if self.with_context(active_test=False).search_count(domain, limit=1):
                raise ValidationError(
                    _(
                        "The %(system)s code %(code)s is already used by another service.",
                        system=template.hc_code_system,
                        code=template.hc_service_code,
                    )
                )

    @api.constrains("hc_default_modifiers")
    def _check_hc_default_modifiers(self):
        for template in self.filtered("hc_default_modifiers"):
            _modifiers, errors = parse_modifiers(template.hc_default_modifiers)
            if errors:
                raise ValidationError(_("Default modifiers: %(errors)s", errors="; ".join(errors)))
