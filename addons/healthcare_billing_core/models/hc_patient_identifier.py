from odoo import api, fields, models

IDENTIFIER_TYPES = [
    ("MR", "Medical record number (MRN)"),
    ("PI", "Patient internal identifier"),
    ("AN", "Account number"),
    ("PT", "Patient external identifier"),
]


class HcPatientIdentifier(models.Model):
    """An identifier of a patient at a facility (HL7 v2 CX types).

    Matching a patient by ``(facility, type, value)`` is the canonical way for
    integrations to find a patient: see ``res.partner._hc_match_patient``.
    """

    _name = "hc.patient.identifier"
    _description = "Patient Identifier"
    _order = "facility_id, id_type, value"
    _rec_name = "value"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Patient",
        required=True,
        index=True,
        ondelete="cascade",
    )
    facility_id = fields.Many2one(
        comodel_name="hc.facility",
        string="Facility",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="facility_id.company_id", store=True, index=True, string="Company")
    id_type = fields.Selection(selection=IDENTIFIER_TYPES, string="Type", required=True, default="MR")
    value = fields.Char(required=True, index=True, copy=False)

    _sql_constraints = [
        (
            "facility_type_value_uniq",
            "unique(facility_id, id_type, value)",
            "This identifier already belongs to a patient of this facility.",
        ),
    ]

    @api.depends("id_type", "value", "facility_id")
    def _compute_display_name(self):
        for identifier in self:
            identifier.display_name = f"{identifier.id_type} {identifier.value} @ {identifier.facility_id.code or ''}"
