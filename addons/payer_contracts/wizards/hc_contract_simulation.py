from odoo import api, fields, models


class HcContractSimulation(models.TransientModel):
    """Before activating a contract or a rate change: what it does to open draft invoices."""

    _name = "hc.contract.simulation"
    _description = "Contract Change Simulation"

    contract_id = fields.Many2one(comodel_name="hc.payer.contract", required=True, readonly=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    line_ids = fields.One2many(comodel_name="hc.contract.simulation.line", inverse_name="simulation_id")
    invoice_count = fields.Integer(compute="_compute_totals")
    current_expected_total = fields.Monetary(compute="_compute_totals")
    new_expected_total = fields.Monetary(compute="_compute_totals")
    difference_total = fields.Monetary(compute="_compute_totals")

    @api.depends("line_ids.difference")
    def _compute_totals(self):
        for simulation in self:
            simulation.invoice_count = len(simulation.line_ids)
            simulation.current_expected_total = sum(simulation.line_ids.mapped("current_expected"))
            simulation.new_expected_total = sum(simulation.line_ids.mapped("new_expected"))
            simulation.difference_total = sum(simulation.line_ids.mapped("difference"))

    @api.model
    def _hc_affected_invoices(self, contract):
        """Open (draft) invoices of encounters that ``contract`` would price."""
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "draft"),
            ("hc_encounter_id.payer_id", "=", contract.payer_id.id),
            ("hc_encounter_id.company_id", "=", contract.company_id.id),
            ("hc_encounter_id.date_of_service", ">=", contract.date_from),
        ]
        if contract.date_to:
            domain.append(("hc_encounter_id.date_of_service", "<=", contract.date_to))
        if contract.facility_id:
            domain.append(("hc_encounter_id.facility_id", "=", contract.facility_id.id))
        return self.env["account.move"].search(domain)

    @api.model
    def _hc_simulate(self, contract):
        lines = []
        for invoice in self._hc_affected_invoices(contract):
            encounter = invoice.hc_encounter_id
            enc_lines = invoice.invoice_line_ids.hc_encounter_line_id
            priced = encounter._hc_price_lines_with(
                contract, enc_lines, encounter.browse()._hc_price_lines_at_charges(enc_lines)
            )
            new_expected = sum(vals.get("hc_expected_amount", 0.0) for vals in priced.values())
            new_total = sum(vals["quantity"] * vals["price_unit"] for vals in priced.values())
            lines.append(
                {
                    "invoice_id": invoice.id,
                    "current_expected": invoice.hc_expected_total,
                    "new_expected": invoice.currency_id.round(new_expected),
                    "current_total": invoice.amount_untaxed,
                    "new_total": invoice.currency_id.round(new_total),
                    "new_exceptions": sum(1 for vals in priced.values() if vals.get("hc_pricing_exception")),
                }
            )
        return self.create({"contract_id": contract.id, "line_ids": [(0, 0, vals) for vals in lines]})


class HcContractSimulationLine(models.TransientModel):
    _name = "hc.contract.simulation.line"
    _description = "Contract Change Simulation Line"
    _order = "difference"

    simulation_id = fields.Many2one(comodel_name="hc.contract.simulation", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="simulation_id.currency_id")
    invoice_id = fields.Many2one(comodel_name="account.move", string="Invoice", readonly=True)
    claim_number = fields.Char(related="invoice_id.hc_claim_number")
    current_expected = fields.Monetary(string="Expected Now")
    new_expected = fields.Monetary(string="Expected With Contract")
    difference = fields.Monetary(compute="_compute_difference", store=True)
    current_total = fields.Monetary(string="Billed Now")
    new_total = fields.Monetary(string="Billed With Contract")
    new_exceptions = fields.Integer(string="Lines Without Rate")

    @api.depends("current_expected", "new_expected")
    def _compute_difference(self):
        for line in self:
            line.difference = line.new_expected - line.current_expected
