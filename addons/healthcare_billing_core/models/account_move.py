from odoo import _, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    hc_encounter_id = fields.Many2one(
        comodel_name="hc.encounter", string="Encounter", index=True, copy=False, readonly=True, ondelete="restrict"
    )
    hc_patient_id = fields.Many2one(comodel_name="res.partner", string="Patient", index=True, copy=False, readonly=True)
    hc_coverage_id = fields.Many2one(
        comodel_name="hc.coverage", string="Coverage", index=True, copy=False, readonly=True
    )
    hc_claim_number = fields.Char(
        string="Claim Number",
        index=True,
        copy=False,
        readonly=True,
        help="Unique and stable identifier of the claim (the patient control number of X12 claims). "
        "Remittances are matched on it.",
    )

    _sql_constraints = [
        ("hc_claim_number_uniq", "unique(hc_claim_number)", "The claim number must be unique."),
    ]

    def init(self):
        res = super().init()
        # One active customer invoice per encounter, whatever the path or the
        # concurrency: the database refuses a second one.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_hc_encounter_active_uniq
                ON account_move (hc_encounter_id)
             WHERE hc_encounter_id IS NOT NULL AND move_type = 'out_invoice' AND state != 'cancel'
            """
        )
        return res

    def action_hc_view_encounter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hc.encounter",
            "res_id": self.hc_encounter_id.id,
            "view_mode": "form",
        }

    def _hc_release_encounters(self, encounters=None):
        """Send encounters left without an active invoice back to 'ready to bill'."""
        encounters = (encounters if encounters is not None else self.hc_encounter_id).exists()
        for encounter in encounters.filtered(lambda enc: enc.state == "invoiced" and not enc.invoice_id):
            encounter.write({"state": "ready"})
            encounter.message_post(
                body=_("Its invoice was cancelled or deleted: the encounter is ready to bill again.")
            )

    def button_cancel(self):
        result = super().button_cancel()
        self._hc_release_encounters()
        return result

    def unlink(self):
        encounters = self.hc_encounter_id
        result = super().unlink()
        self._hc_release_encounters(encounters)
        return result

    def _hc_notify_claim_event(self, event, details=None):
        """Hook: a claim event happened (``claim.paid``, ``claim.denied``...) for these invoices.

        Empty in the core; ``charge_capture_api`` sends its outbound notifications from it,
        so that the addon raising the event (e.g. remittance import) need not know it.
        """
        return True

    # --- Review hooks: extended by the addons that hold invoices ------------
    def _hc_review_flags(self):
        """Review flags of each invoice: ``{move: set of flag codes}``.

        The core's flags are ``manual_invoice`` (a customer invoice without an
        encounter), ``missing_diagnosis`` (its encounter has no diagnosis),
        ``self_pay`` (no coverage) and ``discount`` (a line has a discount).
        Other addons add their own (``price_override``, ``pricing_exception``).
        """
        flags = {}
        for move in self:
            codes = set()
            if move.move_type == "out_invoice":
                if not move.hc_encounter_id:
                    codes.add("manual_invoice")
                elif not move.hc_encounter_id.diagnosis_codes:
                    codes.add("missing_diagnosis")
                if not move.hc_coverage_id:
                    codes.add("self_pay")
                if any(line.discount for line in move.invoice_line_ids):
                    codes.add("discount")
            flags[move] = codes
        return flags

    def _hc_check_can_post(self):
        """Hook called by ``_post`` before posting: raise UserError to refuse it."""
        return True

    def _post(self, soft=True):
        self._hc_check_can_post()
        return super()._post(soft=soft)
