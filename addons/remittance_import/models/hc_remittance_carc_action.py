from odoo import api, fields, models

from ..remit835 import plan as remit_plan

ACTIONS = [
    (remit_plan.CONTRACTUAL, "Write off to the contractual adjustment account"),
    (remit_plan.OTHER, "Write off to the other-adjustment account"),
    (remit_plan.PATIENT, "Transfer to the patient (guarantor)"),
    (remit_plan.DENIAL, "Leave open and route to the denial queue"),
    (remit_plan.REVIEW, "Hold the claim for review"),
    (remit_plan.IGNORE, "Informational: post nothing"),
]


class HcRemittanceCarcAction(models.Model):
    _name = "hc.remittance.carc.action"
    _description = "Remittance Adjustment Action"
    _order = "sequence, group_code, reason_code"

    sequence = fields.Integer(default=10)
    group_code = fields.Selection(
        selection=[
            ("CO", "CO Contractual"),
            ("PR", "PR Patient responsibility"),
            ("OA", "OA Other"),
            ("PI", "PI Payer"),
        ],
        required=True,
    )
    reason_code = fields.Char(
        string="CARC", help="Claim adjustment reason code; empty = the default of the group.", index=True
    )
    action = fields.Selection(selection=ACTIONS, required=True)
    company_id = fields.Many2one(comodel_name="res.company", help="Empty: every company.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("rule_uniq", "unique(group_code, reason_code, company_id)", "One action per group and reason code."),
    ]

    @api.model
    def _hc_mapping(self, company):
        """The (group, CARC) → action table as a ``remit835.plan.CarcMapping``."""
        mapping = remit_plan.CarcMapping()
        rules = self.search([("company_id", "in", [False, company.id])], order="company_id nulls first, id")
        for rule in rules:
            if rule.reason_code:
                mapping.rules[(rule.group_code, rule.reason_code.strip())] = rule.action
            else:
                mapping.group_defaults[rule.group_code] = rule.action
        return mapping
