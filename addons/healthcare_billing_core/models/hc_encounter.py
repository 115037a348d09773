import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from ..codes import parse_diagnosis_codes

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("ready", "Ready to Bill"),
    ("invoiced", "Invoiced"),
    ("cancelled", "Cancelled"),
]
# Allowed moves of an encounter's state.  "invoiced -> ready" happens only when
# its invoice is cancelled or deleted, so that the encounter can be billed again.
TRANSITIONS = {
    "draft": {"ready", "cancelled"},
    "ready": {"draft", "invoiced", "cancelled"},
    "invoiced": {"ready"},
    "cancelled": {"draft"},
}


class HcEncounter(models.Model):
    _name = "hc.encounter"
    _description = "Encounter"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_of_service desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: _("New"), index=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    source_system = fields.Char(index=True, copy=False, help="The system the encounter came from (e.g. the LIS name).")
    external_id = fields.Char(
        string="External ID",
        index=True,
        copy=False,
        help="The encounter identifier in the source system. Unique per source system and company.",
    )
    patient_id = fields.Many2one(
        comodel_name="res.partner",
        string="Patient",
        required=True,
        index=True,
        tracking=True,
        domain=[("hc_is_patient", "=", True)],
    )
    facility_id = fields.Many2one(
        comodel_name="hc.facility", string="Facility", required=True, index=True, tracking=True, check_company=True
    )
    date_of_service = fields.Date(required=True, index=True, default=fields.Date.context_today, tracking=True)
    ordering_provider_id = fields.Many2one(
        comodel_name="res.partner",
        string="Ordering Provider",
        index=True,
        domain=[("hc_is_provider", "=", True)],
        tracking=True,
    )
    diagnosis_codes = fields.Char(
        string="Diagnosis Codes", help="ICD-10-CM codes separated by commas, in claim order, e.g. E11.9, Z00.00."
    )
    coverage_id = fields.Many2one(
        comodel_name="hc.coverage",
        string="Coverage",
        compute="_compute_coverage_id",
        store=True,
        readonly=False,
        index=True,
        check_company=True,
        domain="[('patient_id', '=', patient_id)]",
        tracking=True,
        help="The coverage billed: by default the primary coverage in force on the date of service. "
        "Without one, the guarantor is billed.",
    )
    payer_id = fields.Many2one(related="coverage_id.payer_id", store=True, string="Payer", index=True)
    line_ids = fields.One2many(
        comodel_name="hc.encounter.line",
        inverse_name="encounter_id",
        string="Services",
        copy=False,
        help="Copied on duplication without the cancelled lines (see copy_data).",
    )
    state = fields.Selection(selection=STATES, required=True, default="draft", index=True, tracking=True, copy=False)
    invoice_ids = fields.One2many(
        comodel_name="account.move", inverse_name="hc_encounter_id", string="Invoices", readonly=True
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        compute="_compute_invoice_id",
        store=True,
        index=True,
        help="The invoice that bills this encounter (not cancelled).",
    )
    claim_number = fields.Char(related="invoice_id.hc_claim_number", string="Claim Number")
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    amount_total = fields.Monetary(
        string="Total Charges", compute="_compute_amount_total", store=True, currency_field="currency_id"
    )
    billing_error = fields.Text(
        readonly=True, copy=False, help="Why the last billing attempt failed. Cleared by a successful billing."
    )

    _sql_constraints = [
        (
            "source_external_uniq",
            "unique(company_id, source_system, external_id)",
            "An encounter with this external ID already exists for this source system.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("patient_id", "date_of_service")
    def _compute_coverage_id(self):
        for encounter in self:
            if not encounter.patient_id or not encounter.date_of_service:
                encounter.coverage_id = False
                continue
            encounter.coverage_id = encounter.patient_id._hc_coverage_in_force(encounter.date_of_service)[:1]

    @api.depends("invoice_ids.state")
    def _compute_invoice_id(self):
        for encounter in self:
            active = encounter.invoice_ids.filtered(lambda move: move.state != "cancel")
            encounter.invoice_id = active[:1]

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for encounter in self:
            encounter.invoice_count = len(encounter.invoice_ids)

    @api.depends("line_ids.charge_amount", "line_ids.cancelled")
    def _compute_amount_total(self):
        for encounter in self:
            encounter.amount_total = sum(
                encounter.line_ids.filtered(lambda line: not line.cancelled).mapped("charge_amount")
            )

    @api.constrains("diagnosis_codes")
    def _check_diagnosis_codes(self):
        for encounter in self.filtered("diagnosis_codes"):
            _codes, invalid = parse_diagnosis_codes(encounter.diagnosis_codes)
            if invalid:
                raise ValidationError(_("Not ICD-10-CM diagnosis codes: %(codes)s", codes=", ".join(invalid)))

    @api.constrains("coverage_id", "patient_id")
    def _check_coverage_patient(self):
        for encounter in self.filtered("coverage_id"):
            if encounter.coverage_id.patient_id != encounter.patient_id:
                raise ValidationError(_("The coverage of an encounter must belong to its patient."))

    @api.model
    def _hc_normalize_vals(self, vals):
        if vals.get("diagnosis_codes"):
            codes, invalid = parse_diagnosis_codes(vals["diagnosis_codes"])
            if not invalid:
                vals["diagnosis_codes"] = ", ".join(codes)
        return vals

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._hc_normalize_vals(vals)
            if vals.get("name", _("New")) == _("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("hc.encounter") or _("New")
            if vals.get("state", "draft") != "draft":
                raise UserError(_("An encounter is created as a draft."))
        return super().create(vals_list)

    def write(self, vals):
        self._hc_normalize_vals(vals)
        if "state" in vals:
            for encounter in self:
                encounter._hc_check_transition(vals["state"])
        locked_fields = {"patient_id", "facility_id", "date_of_service", "coverage_id", "company_id"}
        if locked_fields & set(vals):
            invoiced = self.filtered(lambda enc: enc.state == "invoiced")
            if invoiced:
                raise UserError(
                    _("Invoiced encounter %(name)s cannot be changed; cancel its invoice first.", name=invoiced[0].name)
                )
        old_states = {encounter.id: encounter.state for encounter in self} if "state" in vals else {}
        result = super().write(vals)
        for encounter in self.filtered(lambda enc: enc.id in old_states and old_states[enc.id] != enc.state):
            self.env["hc.audit.log"]._hc_log(
                encounter, "encounter.state", {"from": old_states[encounter.id], "to": encounter.state}
            )
        return result

    def copy_data(self, default=None):
        """A duplicate bills the services still billable: cancelled lines are not revived."""
        vals_list = super().copy_data(default=default)
        if default and "line_ids" in default:
            return vals_list
        for encounter, vals in zip(self, vals_list, strict=True):
            lines = encounter.line_ids.filtered(lambda line: not line.cancelled)
            line_vals = lines.copy_data()
            for data in line_vals:
                data.pop("encounter_id", None)
            vals["line_ids"] = [Command.create(data) for data in line_vals]
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        for encounter in self:
            if encounter.state == "invoiced" or encounter.invoice_ids:
                raise UserError(_("Encounter %(name)s has an invoice and cannot be deleted.", name=encounter.name))

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _hc_check_transition(self, new_state):
        self.ensure_one()
        if new_state == self.state:
            return
        if new_state not in TRANSITIONS.get(self.state, set()):
            labels = dict(STATES)
            raise UserError(
                _(
                    "Encounter %(name)s cannot go from %(old)s to %(new)s.",
                    name=self.name,
                    old=labels.get(self.state, self.state),
                    new=labels.get(new_state, new_state),
                )
            )

    def action_ready(self):
        for encounter in self:
            if not encounter.line_ids.filtered(lambda line: not line.cancelled):
                raise UserError(_("Encounter %(name)s has no service to bill.", name=encounter.name))
        self.write({"state": "ready", "billing_error": False})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def action_cancel(self):
        for encounter in self:
            if encounter.invoice_id:
                raise UserError(_("Encounter %(name)s is invoiced: cancel its invoice first.", name=encounter.name))
        self.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Billing
    # ------------------------------------------------------------------
    def action_create_invoice(self):
        """Button: bill the selected ready encounters and open the result."""
        invoices = self._hc_create_invoices()
        return self._hc_action_view_invoices(invoices)

    def action_view_invoices(self):
        return self._hc_action_view_invoices(self.invoice_ids)

    def _hc_action_view_invoices(self, invoices):
        action = self.env["ir.actions.act_window"]._for_xml_id("healthcare_billing_core.action_hc_claims")
        if len(invoices) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": invoices.id})
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action

    def _hc_lock(self, skip_locked=False):
        """Lock the rows of these encounters until the end of the transaction.

        Returns the encounters actually locked (all of them unless ``skip_locked``).
        Two transactions billing the same encounter are serialised here; the
        partial unique index on ``account_move.hc_encounter_id`` is the last guard.
        """
        if not self.ids:
            return self
        self.env.flush_all()
        query = "SELECT id FROM hc_encounter WHERE id IN %s FOR NO KEY UPDATE"
        if skip_locked:
            query += " SKIP LOCKED"
        self.env.cr.execute(query, [tuple(self.ids)])
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        locked.invalidate_recordset()
        self.env["account.move"].invalidate_model(["hc_encounter_id", "state"])
        return locked

    def _hc_create_invoices(self):
        """Create the invoice of every encounter that has none; never twice.

        Encounters already invoiced give their existing invoice.  Returns the
        invoices of ``self``.
        """
        encounters = self._hc_lock()
        invoices = self.env["account.move"]
        for encounter in encounters:
            if encounter.invoice_id:
                invoices |= encounter.invoice_id
                continue
            if encounter.state != "ready":
                raise UserError(_("Encounter %(name)s is not ready to bill.", name=encounter.name))
            invoices |= encounter._hc_create_invoice()
        return invoices

    def _hc_create_invoice(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.cancelled)
        if not lines:
            raise UserError(_("Encounter %(name)s has no service to bill.", name=self.name))
        invoice_vals = self._hc_prepare_invoice_vals()
        priced = self._hc_price_lines(lines)
        invoice_vals["invoice_line_ids"] = [
            Command.create(line._hc_prepare_invoice_line_vals(priced[line])) for line in lines
        ]
        invoice = (
            self.env["account.move"]
            .with_company(self.company_id)
            .with_context(default_move_type="out_invoice")
            .create(invoice_vals)
        )
        self.write({"state": "invoiced", "billing_error": False})
        self.message_post(
            body=_(
                "Invoiced on %(invoice)s, claim %(claim)s.",
                invoice=invoice._get_html_link(),
                claim=invoice.hc_claim_number,
            )
        )
        self.env["hc.audit.log"]._hc_log(
            self,
            "encounter.invoiced",
            {
                "invoice_id": invoice.id,
                "claim_number": invoice.hc_claim_number,
                "partner_id": invoice.partner_id.id,
                "amount_total": invoice.amount_total,
            },
        )
        self._hc_after_invoice(invoice)
        return invoice

    def _hc_after_invoice(self, invoice):
        """Hook called after the invoice of this encounter is created."""
        return True

    def _hc_bill_to_partner(self):
        """Who receives the invoice: the payer of the coverage, else the guarantor."""
        self.ensure_one()
        if self.coverage_id:
            return self.coverage_id.payer_id
        return self.patient_id._hc_get_guarantor()

    def _hc_prepare_invoice_vals(self):
        """Hook: the values of the invoice of this encounter (without lines)."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": self._hc_bill_to_partner().id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "hc_encounter_id": self.id,
            "hc_patient_id": self.patient_id.id,
            "hc_coverage_id": self.coverage_id.id,
            "invoice_origin": self.name,
            "ref": self.external_id or False,
            "hc_claim_number": self.env["ir.sequence"].with_company(self.company_id).next_by_code("hc.claim"),
        }

    def _hc_price_lines(self, lines):
        """Hook: price ``lines`` (encounter lines of this encounter) for its invoice.

        Returns ``{line: vals}`` where vals are values of ``account.move.line``
        at least with ``quantity`` and ``price_unit``.  The core bills the
        charge amount (chargemaster price times units unless given);
        ``payer_contracts`` overrides this with the contract price.
        """
        self.ensure_one()
        return self._hc_price_lines_at_charges(lines)

    def _hc_price_lines_at_charges(self, lines):
        """The core's prices of ``lines``: their charge amounts, before any contract."""
        return {line: line._hc_charge_vals(line.charge_amount) for line in lines}

    def _hc_auto_bill(self):
        """Automation Rule: bill the encounters whose company bills automatically.

        Failures are recorded on the encounter instead of undoing the change
        that made it ready to bill.
        """
        for encounter in self.filtered(lambda enc: enc.company_id.hc_auto_billing and enc.state == "ready"):
            encounter._hc_try_create_invoice()
        return True

    def _hc_try_create_invoice(self):
        """Bill this encounter in a savepoint; record the error on failure."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._hc_create_invoices()
        except (UserError, ValidationError) as error:
            message = str(error.args[0]) if error.args else str(error)
            _logger.info("Billing encounter %s failed: %s", self.id, type(error).__name__)
            self.billing_error = message
            self.env["hc.audit.log"]._hc_log(self, "encounter.billing_failed", {"error": message})
            return False
        return True

    @api.model
    def _cron_bill_ready_encounters(self, batch_size=None):
        """Scheduled Action: bill ready encounters in batches.

        Rows are claimed with ``FOR NO KEY UPDATE SKIP LOCKED``, so two workers
        (or a worker and a user) never bill the same encounter; encounters whose
        last attempt failed wait for a clerk (their ``billing_error`` is set).
        """
        batch_size = batch_size or self.env.company.hc_billing_batch_size or 100
        domain = [("state", "=", "ready"), ("billing_error", "=", False)]
        # Claim a batch in one statement: concurrent runs get disjoint batches.
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM hc_encounter
             WHERE state = 'ready' AND billing_error IS NULL
             ORDER BY date_of_service, id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [batch_size],
        )
        encounters = self.browse([row[0] for row in self.env.cr.fetchall()])
        done = 0
        for encounter in encounters:
            if encounter.state == "ready" and not encounter.invoice_id:
                done += bool(encounter._hc_try_create_invoice())
        remaining = self.search_count(domain)
        _logger.info("Scheduled billing: %s encounters invoiced, %s remaining", done, remaining)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
