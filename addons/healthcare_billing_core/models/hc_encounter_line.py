from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round

from ..codes import parse_modifiers


class HcEncounterLine(models.Model):
    _name = "hc.encounter.line"
    _description = "Encounter Service Line"
    _order = "encounter_id, sequence, id"
    _check_company_auto = True

    encounter_id = fields.Many2one(
        comodel_name="hc.encounter", string="Encounter", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="encounter_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="encounter_id.currency_id")
    state = fields.Selection(related="encounter_id.state", string="Encounter State")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        required=True,
        index=True,
        check_company=True,
        domain=[("hc_is_billable_service", "=", True)],
    )
    code_system = fields.Selection(related="product_id.hc_code_system", string="Code System")
    code = fields.Char(
        compute="_compute_code", store=True, readonly=False, index=True, help="The billing code (CPT, HCPCS...)."
    )
    modifiers = fields.Char(
        compute="_compute_modifiers",
        store=True,
        readonly=False,
        help="Comma-separated modifiers, at most four, e.g. 91, QW.",
    )
    units = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    charge_amount = fields.Monetary(
        compute="_compute_charge_amount",
        store=True,
        readonly=False,
        currency_field="currency_id",
        help="Chargemaster price times units, unless given by the source system.",
    )
    external_line_id = fields.Char(
        string="External Line ID", copy=False, help="The line identifier in the source system."
    )
    cancelled = fields.Boolean(copy=False, help="A cancelled line is not billed.")
    invoice_line_ids = fields.One2many(
        comodel_name="account.move.line", inverse_name="hc_encounter_line_id", string="Invoice Lines", readonly=True
    )

    _sql_constraints = [
        (
            "external_line_uniq",
            "unique(encounter_id, external_line_id)",
            "The external line ID must be unique within an encounter.",
        ),
        ("units_positive", "CHECK(units > 0)", "Units must be positive."),
    ]

    @api.depends("product_id")
    def _compute_code(self):
        for line in self:
            line.code = line.product_id.hc_service_code or line.code

    @api.depends("product_id")
    def _compute_modifiers(self):
        for line in self:
            if not line.modifiers:
                line.modifiers = line.product_id.hc_default_modifiers or False

    @api.depends("product_id", "units")
    def _compute_charge_amount(self):
        for line in self:
            line.charge_amount = (
                line.currency_id.round(line.product_id.lst_price * line.units) if line.product_id else 0.0
            )

    @api.constrains("modifiers")
    def _check_modifiers(self):
        for line in self.filtered("modifiers"):
            _modifiers, errors = parse_modifiers(line.modifiers)
            if errors:
                raise ValidationError(_("Modifiers: %(errors)s", errors="; ".join(errors)))

    @api.constrains("charge_amount")
    def _check_charge_amount(self):
        for line in self:
            if float_compare(line.charge_amount, 0.0, precision_rounding=line.currency_id.rounding or 0.01) < 0:
                raise ValidationError(_("A charge amount cannot be negative."))

    def _hc_check_editable(self):
        locked = self.encounter_id.filtered(lambda enc: enc.state in ("invoiced", "cancelled"))
        if locked:
            raise UserError(
                _(
                    "The services of encounter %(name)s cannot be changed once it is invoiced or cancelled.",
                    name=locked[0].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._hc_check_editable()
        return lines

    def write(self, vals):
        if set(vals) - {"sequence"}:
            self._hc_check_editable()
        result = super().write(vals)
        if set(vals) - {"sequence", "cancelled"}:
            self.encounter_id.filtered("billing_error").billing_error = False
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self._hc_check_editable()

    def _hc_modifier_list(self):
        self.ensure_one()
        return parse_modifiers(self.modifiers)[0]

    def _hc_charge_vals(self, amount):
        """Invoice line quantity and unit price that bill exactly ``amount``.

        ``units x (amount / units)`` when that unit price is representable with
        the price precision, else the whole amount on a quantity of one.
        """
        self.ensure_one()
        digits = self.env["decimal.precision"].precision_get("Product Price")
        amount = self.currency_id.round(amount)
        if self.units > 0:
            unit_price = float_round(amount / self.units, precision_digits=digits)
            if self.currency_id.compare_amounts(unit_price * self.units, amount) == 0:
                return {"quantity": self.units, "price_unit": unit_price}
        return {"quantity": 1.0, "price_unit": amount}

    def _hc_prepare_invoice_line_vals(self, priced_vals):
        """Hook: the ``account.move.line`` values billing this line."""
        self.ensure_one()
        label = f"[{self.code}] {self.product_id.name}" if self.code else self.product_id.name
        if self.modifiers:
            label += f" ({self.modifiers})"
        if priced_vals.get("quantity") != self.units:
            label += " " + _("x %(units)s units", units=self.units)
        return {
            "product_id": self.product_id.id,
            "name": label,
            "hc_encounter_line_id": self.id,
            **priced_vals,
        }
