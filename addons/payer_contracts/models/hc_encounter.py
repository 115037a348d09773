from decimal import Decimal

from odoo import models

from ..pricing import PricingLine


class HcEncounter(models.Model):
    _inherit = "hc.encounter"

    def _hc_contract(self):
        """The payer contract that prices this encounter (empty without coverage or contract)."""
        self.ensure_one()
        if not self.coverage_id:
            return self.env["hc.payer.contract"]
        return self.env["hc.payer.contract"]._hc_find_contract(
            self.coverage_id.payer_id, self.facility_id, self.date_of_service, self.company_id
        )

    def _hc_prepare_invoice_vals(self):
        vals = super()._hc_prepare_invoice_vals()
        vals["hc_contract_id"] = self._hc_contract().id
        return vals

    def _hc_price_lines(self, lines):
        """Price each line with the contract in force: price, expected amount, rule used."""
        priced = super()._hc_price_lines(lines)
        contract = self._hc_contract()
        if not contract:
            return priced
        return self._hc_price_lines_with(contract, lines, priced)

    def _hc_price_lines_with(self, contract, lines, priced):
        """Price ``lines`` with ``contract`` on top of the core's ``priced`` values."""
        index = contract._hc_price_index()
        for line in lines:
            result = index.price(
                PricingLine(
                    date_of_service=self.date_of_service,
                    code=line.code or "",
                    units=Decimal(str(line.units)),
                    charge_amount=Decimal(str(line.charge_amount)),
                    modifiers=tuple(line._hc_modifier_list()),
                )
            )
            vals = priced[line]
            if result.has_rate:
                expected = float(result.amount)
                if contract.invoice_basis == "contracted":
                    vals = line._hc_charge_vals(expected)
                vals.update(
                    hc_expected_amount=expected,
                    hc_fee_line_id=result.rule_id or False,
                    hc_pricing_method=result.method,
                    hc_pricing_exception=False,
                )
            else:
                vals.update(
                    hc_expected_amount=0.0,
                    hc_fee_line_id=False,
                    hc_pricing_method=False,
                    hc_pricing_exception=result.reason,
                )
            priced[line] = vals
        return priced
