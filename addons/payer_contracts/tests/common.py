from datetime import date

from odoo.fields import Command

from odoo.addons.healthcare_billing_core.tests.common import HealthcareBillingCommon


class PayerContractsCommon(HealthcareBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(
            lines=[
                {"product_id": cls.cbc.id, "method": "per_unit", "amount": 7.77},
                {"product_id": cls.cbc.id, "modifier": "QW", "method": "per_unit", "amount": 6.50},
                {"product_id": cls.draw.id, "method": "per_line", "amount": 3.00, "max_units": 1},
            ]
        )
        cls.contract.action_activate()

    @classmethod
    def _create_contract(cls, lines=(), **values):
        return cls.env["hc.payer.contract"].create(
            {
                "name": "Test contract",
                "payer_id": cls.payer.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "line_ids": [Command.create(line) for line in lines],
                **values,
            }
        )

    def _invoice(self, lines=None, **values):
        encounter = self._create_encounter(lines=lines, **values)
        encounter.action_ready()
        encounter.action_create_invoice()
        return encounter.invoice_id
