from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..domains import in_force_domain, overlap_domain

PRIORITIES = [("1", "Primary"), ("2", "Secondary"), ("3", "Tertiary")]


class HcCoverage(models.Model):
    _name = "hc.coverage"
    _description = "Insurance Coverage"
    _inherit = ["mail.thread"]
    _order = "patient_id, priority, date_from desc"
    _check_company_auto = True

    patient_id = fields.Many2one(
        comodel_name="res.partner",
        string="Patient",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("hc_is_patient", "=", True)],
        tracking=True,
    )
    payer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Payer",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("hc_is_payer", "=", True)],
        tracking=True,
    )
    payer_class = fields.Selection(related="payer_id.hc_payer_class", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    member_id = fields.Char(string="Member ID", required=True, tracking=True)
    group_number = fields.Char(tracking=True)
    priority = fields.Selection(selection=PRIORITIES, required=True, default="1", tracking=True)
    date_from = fields.Date(string="Valid From", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="Valid To", tracking=True, help="Leave empty for an open-ended coverage.")
    active = fields.Boolean(default=True)

    @api.depends("payer_id", "member_id", "priority")
    def _compute_display_name(self):
        labels = dict(PRIORITIES)
        for coverage in self:
            coverage.display_name = _(
                "%(payer)s %(member)s (%(priority)s)",
                payer=coverage.payer_id.name or "",
                member=coverage.member_id or "",
                priority=labels.get(coverage.priority, ""),
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for coverage in self:
            if coverage.date_to and coverage.date_to < coverage.date_from:
                raise ValidationError(_("A coverage cannot end before it starts."))

    @api.constrains("patient_id", "priority", "date_from", "date_to", "active", "company_id")
    def _check_priority_overlap(self):
        for coverage in self.filtered("active"):
            domain = [
                ("id", "!=", coverage.id),
                ("patient_id", "=", coverage.patient_id.id),
                ("company_id", "=", coverage.company_id.id),
                ("priority", "=", coverage.priority),
                *overlap_domain(coverage.date_from, coverage.date_to),
            ]
            other = self.search(domain, limit=1)
            if other:
                raise ValidationError(
                    _(
                        "%(patient)s already has a %(priority)s coverage (%(other)s) over these dates.",
                        patient=coverage.patient_id.display_name,
                        priority=dict(PRIORITIES)[coverage.priority].lower(),
                        other=other.display_name,
                    )
                )

    @api.model
    def _hc_in_force_domain(self, patient, on_date):
        return [("patient_id", "=", patient.id), *in_force_domain(on_date)]

    @api.model
    def _hc_in_force(self, patient, on_date, priority=None):
        """Return the coverages of ``patient`` in force on ``on_date``, primary first.

        With ``priority`` ('1', '2', '3') return at most the one of that rank.
        """
        domain = self._hc_in_force_domain(patient, on_date)
        if priority:
            domain = expression.AND([domain, [("priority", "=", priority)]])
        return self.search(domain, order="priority, date_from desc, id")
