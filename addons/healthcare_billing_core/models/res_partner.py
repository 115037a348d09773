from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..codes import is_valid_npi

PAYER_CLASSES = [
    ("commercial", "Commercial"),
    ("medicare", "Medicare"),
    ("medicaid", "Medicaid"),
    ("managed_care", "Managed Care"),
    ("workers_comp", "Workers' Compensation"),
    ("self_pay", "Self-Pay"),
    ("other", "Other"),
]
ADMINISTRATIVE_SEX = [("F", "Female"), ("M", "Male"), ("O", "Other"), ("U", "Unknown")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Patients and guarantors
    hc_is_patient = fields.Boolean(string="Is a Patient", index=True)
    hc_birth_date = fields.Date(string="Birth Date")
    hc_sex = fields.Selection(selection=ADMINISTRATIVE_SEX, string="Administrative Sex")
    hc_guarantor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Guarantor",
        compute="_compute_hc_guarantor_id",
        store=True,
        readonly=False,
        index=True,
        help="Who owes the patient balance. Defaults to the patient.",
    )
    hc_identifier_ids = fields.One2many(
        comodel_name="hc.patient.identifier", inverse_name="partner_id", string="Identifiers"
    )
    hc_coverage_ids = fields.One2many(comodel_name="hc.coverage", inverse_name="patient_id", string="Coverages")
    hc_encounter_ids = fields.One2many(comodel_name="hc.encounter", inverse_name="patient_id", string="Encounters")
    hc_encounter_count = fields.Integer(compute="_compute_hc_counts", string="Encounters Count")
    hc_patient_invoice_count = fields.Integer(compute="_compute_hc_counts", string="Patient Invoices Count")

    # Payers
    hc_is_payer = fields.Boolean(string="Is a Payer", index=True)
    hc_payer_code = fields.Char(
        string="Payer ID",
        index=True,
        copy=False,
        help="The payer identifier used in X12 transactions (NM109 of the payer loop).",
    )
    hc_payer_class = fields.Selection(selection=PAYER_CLASSES, string="Payer Class")

    # Providers
    hc_is_provider = fields.Boolean(string="Is a Provider", index=True)
    hc_npi = fields.Char(string="NPI", size=10, copy=False, index=True)

    @api.depends("hc_is_patient")
    def _compute_hc_guarantor_id(self):
        for partner in self:
            if partner.hc_is_patient and not partner.hc_guarantor_id and partner.id:
                partner.hc_guarantor_id = partner

    def _compute_hc_counts(self):
        encounters = dict(
            self.env["hc.encounter"]._read_group([("patient_id", "in", self.ids)], ["patient_id"], ["__count"])
        )
        invoices = dict(
            self.env["account.move"]._read_group(
                [("hc_patient_id", "in", self.ids), ("move_type", "in", ("out_invoice", "out_refund"))],
                ["hc_patient_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.hc_encounter_count = encounters.get(partner, 0)
            partner.hc_patient_invoice_count = invoices.get(partner, 0)

    @api.constrains("hc_npi")
    def _check_hc_npi(self):
        for partner in self.filtered("hc_npi"):
            if not is_valid_npi(partner.hc_npi):
                raise ValidationError(
                    _("%(npi)s is not a valid NPI (ten digits with a valid check digit).", npi=partner.hc_npi)
                )

    @api.constrains("hc_payer_code", "company_id")
    def _check_hc_payer_code(self):
        for partner in self.filtered("hc_payer_code"):
            domain = [("id", "!=", partner.id), ("hc_payer_code", "=", partner.hc_payer_code)]
            if partner.company_id:
                domain += ["|", ("company_id", "=", False), ("company_id", "=", partner.company_id.id)]
            if self.with_context(active_test=False).search_count(domain, limit=1):
                raise ValidationError(
                    _("The payer ID %(code)s is already used by another payer.", code=partner.hc_payer_code)
                )

    def _hc_get_guarantor(self):
        """Return who owes this patient's balance: the guarantor or the patient."""
        self.ensure_one()
        return self.hc_guarantor_id or self

    def _hc_coverage_in_force(self, on_date, priority=None):
        """Return the coverages of this patient in force on ``on_date``, primary first."""
        self.ensure_one()
        return self.env["hc.coverage"]._hc_in_force(self, on_date, priority=priority)

    @api.model
    def _hc_match_patient(self, facility, id_type, value):
        """Return the patient holding identifier ``(facility, id_type, value)``, or an empty recordset."""
        identifier = self.env["hc.patient.identifier"].search(
            [("facility_id", "=", facility.id), ("id_type", "=", id_type), ("value", "=", value)],
            limit=1,
        )
        return identifier.partner_id

    @api.model
    def _hc_find_payer(self, payer_code, company=None):
        """Return the payer with this X12 payer ID visible for ``company``."""
        company = company or self.env.company
        return self.search(
            [
                ("hc_is_payer", "=", True),
                ("hc_payer_code", "=", payer_code),
                ("company_id", "in", [False, company.id]),
            ],
            limit=1,
        )

    def action_hc_view_encounters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("healthcare_billing_core.action_hc_encounter")
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {"default_patient_id": self.id}
        return action

    def action_hc_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("healthcare_billing_core.action_hc_claims")
        action["domain"] = [("hc_patient_id", "=", self.id)]
        return action
