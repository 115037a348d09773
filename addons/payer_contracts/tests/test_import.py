import csv

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestImport(PayerContractsCommon):
    def test_import_sample_fee_schedule_resolves_codes_to_services(self):
        """The documented sample, loaded as Odoo's standard import does (load)."""
        contract = self._create_contract(name="Medicare CLFS 2025", payer_id=self.medicare.id)
        path = file_path("payer_contracts/static/samples/fee_schedule_lines.csv")
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, data = rows[0], rows[1:]
        self.assertEqual(header, ["Contract", "Code", "Modifier", "Method", "Amount", "Valid From"])
        fields = ["contract_id", "code", "modifier", "method", "amount", "date_from"]
        result = self.env["hc.fee.schedule.line"].load(fields, data)
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        lines = contract.line_ids
        self.assertEqual(len(lines), len(data))
        cbc = lines.filtered(lambda line: line.code == "85027")
        self.assertFalse(cbc)  # not in the sample
        draw = lines.filtered(lambda line: line.code == "36415")
        self.assertAlmostEqual(draw.amount, 9.09)
        self.assertEqual(draw.method, "per_unit")
        qw = lines.filtered(lambda line: line.code == "87880" and line.modifier == "QW")
        self.assertEqual(len(qw), 1)

    def test_imported_code_links_the_service(self):
        line = self.env["hc.fee.schedule.line"].create(
            {"contract_id": self.contract.id, "code": " 80047 ", "method": "per_unit", "amount": 10.0}
        )
        self.assertEqual(line.code, "80047")
        self.assertEqual(line.product_id, self.cmp)
