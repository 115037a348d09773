import contextlib
import hashlib
import json
import logging
import threading
from decimal import Decimal

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.healthcare_billing_core.codes import is_valid_npi, parse_diagnosis_codes

from ..apispec import BASE_PATH, EVENT_TYPES, event_schema, openapi_document, parse_date, parse_datetime, validate
from ..backoff import next_attempt
from ..exceptions import ApiError

_logger = logging.getLogger(__name__)

STATES = [
    ("queued", "Queued"),
    ("processed", "Processed"),
    ("failed", "Failed"),
    ("dead", "Dead"),
    ("ignored", "Ignored"),
]
_VALIDATION_ROOT = openapi_document()


def request_hash(raw_body):
    return hashlib.sha256(raw_body).hexdigest()


def _json_number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _write_changes(record, vals):
    """Write only the values that differ (no tracking message, no write for an unchanged record)."""
    changed = {}
    for name, value in vals.items():
        current = record[name]
        if (current.id if isinstance(current, models.BaseModel) else current) != value:
            changed[name] = value
    if changed:
        record.write(changed)
    return changed


# A failing SQL statement is logged by odoo.sql_db with its parameters, which
# during event processing may be a patient's name or identifiers.  While this
# thread processes an event, those records are dropped; the failure is recorded
# on the event and logged here by id and error class only.
_processing = threading.local()


class _NoSqlParametersWhileProcessing(logging.Filter):
    def filter(self, record):
        return not getattr(_processing, "active", False)


_sql_logger = logging.getLogger("odoo.sql_db")
if not any(isinstance(item, _NoSqlParametersWhileProcessing) for item in _sql_logger.filters):
    _sql_logger.addFilter(_NoSqlParametersWhileProcessing())


@contextlib.contextmanager
def _quiet_sql():
    previous = getattr(_processing, "active", False)
    _processing.active = True
    try:
        yield
    finally:
        _processing.active = previous


class HcInboundEvent(models.Model):
    _name = "hc.inbound.event"
    _description = "Inbound Event"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_name = "event_id"
    _check_company_auto = True

    client_id = fields.Many2one(
        comodel_name="hc.api.client", string="Client", required=True, index=True, readonly=True, ondelete="restrict"
    )
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True, readonly=True)
    event_id = fields.Char(string="Event ID", required=True, readonly=True, index=True)
    event_type = fields.Char(required=True, readonly=True, index=True)
    idempotency_key = fields.Char(required=True, readonly=True)
    request_hash = fields.Char(required=True, readonly=True, help="SHA-256 of the request body.")
    state = fields.Selection(selection=STATES, required=True, default="queued", index=True, tracking=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    payload = fields.Json(string="Payload (JSON)", readonly=True)
    payload_pretty = fields.Text(string="Payload", compute="_compute_payload_pretty")
    response_status = fields.Integer(string="First Response Status", readonly=True)
    response_body = fields.Json(string="First Response", readonly=True)
    response_pretty = fields.Text(string="First Response Body", compute="_compute_payload_pretty")
    received_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    processed_at = fields.Datetime(readonly=True)
    occurred_at = fields.Datetime(readonly=True)
    source_system = fields.Char(readonly=True)
    facility_id = fields.Many2one(comodel_name="hc.facility", readonly=True)
    patient_id = fields.Many2one(comodel_name="res.partner", string="Patient", readonly=True, index="btree_not_null")
    encounter_id = fields.Many2one(comodel_name="hc.encounter", readonly=True, index="btree_not_null")
    encounter_line_ids = fields.Many2many(comodel_name="hc.encounter.line", string="Encounter Lines", readonly=True)
    invoice_id = fields.Many2one(comodel_name="account.move", string="Invoice", readonly=True)
    payment_id = fields.Many2one(comodel_name="account.payment", string="Payment", readonly=True)
    billing_exception_id = fields.Many2one(comodel_name="hc.billing.exception", readonly=True)
    result_message = fields.Char(readonly=True, help="What processing did, e.g. the unapplied part of a payment.")
    ignore_reason = fields.Text(readonly=True)
    payment_ref = fields.Char(
        string="Gateway Payment ID", readonly=True, help="The payment_id of a payment.received event."
    )

    _sql_constraints = [
        ("idempotency_key_uniq", "unique(client_id, idempotency_key)", "This idempotency key was already used."),
        ("event_id_uniq", "unique(client_id, event_id)", "This event ID was already received from this client."),
        ("payment_ref_uniq", "unique(client_id, payment_ref)", "This payment was already received from this client."),
    ]

    @api.depends("payload", "response_body")
    def _compute_payload_pretty(self):
        for event in self:
            event.payload_pretty = json.dumps(event.payload, indent=2, sort_keys=True) if event.payload else False
            event.response_pretty = (
                json.dumps(event.response_body, indent=2, sort_keys=True) if event.response_body else False
            )

    # ------------------------------------------------------------------
    # Receiving (called by the controller, as superuser for bookkeeping only)
    # ------------------------------------------------------------------
    @api.model
    def _hc_receive(self, client, idempotency_key, raw_body, payload):
        """Store and (unless deferred) process one event; return ``(status, body, headers)``.

        Raises ``ApiError`` for every refusal; a refused request creates nothing.
        """
        digest = request_hash(raw_body)
        replay = self._hc_replay(client, idempotency_key, digest)
        if replay:
            return replay
        self._hc_authorize(client, payload)
        errors = validate(payload, event_schema(), _VALIDATION_ROOT)
        if errors:
            raise ApiError(422, "invalid_event", _("The event is not valid."), errors)
        facility = self._hc_check_semantics(client, payload)
        event = self._hc_insert(client, idempotency_key, digest, payload)
        if not event:
            replay = self._hc_replay(client, idempotency_key, digest)
            if replay:
                return replay
            if payload.get("payment_id") and not self.search_count(
                [("client_id", "=", client.id), ("event_id", "=", payload["event_id"])], limit=1
            ):
                raise self._hc_duplicate_payment(payload)
            raise ApiError(
                409,
                "duplicate_event",
                _("Event %(event)s was already received under another idempotency key.", event=payload["event_id"]),
                {"path": "event_id", "event_id": payload["event_id"]},
            )
        event.facility_id = facility
        if client.processing_mode == "deferred":
            self.env.ref("charge_capture_api.cron_process_inbound_events")._trigger()
        else:
            event._hc_run()
        status = 201 if event.state == "processed" else 202
        body = event._hc_status_body()
        event.write({"response_status": status, "response_body": body})
        return status, body, {}

    def _hc_replay(self, client, idempotency_key, digest):
        event = self.search([("client_id", "=", client.id), ("idempotency_key", "=", idempotency_key)], limit=1)
        if not event:
            return None
        if event.request_hash != digest:
            raise ApiError(
                409,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used with a different body."),
                {"idempotency_key": idempotency_key},
            )
        return event.response_status, event.response_body, {"Idempotent-Replayed": "true"}

    @api.model
    def _hc_authorize(self, client, payload):
        if not isinstance(payload, dict):
            return
        event_type = payload.get("event_type")
        if isinstance(event_type, str) and event_type in EVENT_TYPES:
            if not client._hc_allows_event_type(event_type):
                raise ApiError(
                    403,
                    "event_type_forbidden",
                    _("This client may not send %(type)s events.", type=event_type),
                    {"path": "event_type"},
                )
        facility = payload.get("facility")
        code = facility.get("code") if isinstance(facility, dict) else None
        if isinstance(code, str) and not client._hc_allows_facility(code):
            raise ApiError(
                403,
                "facility_forbidden",
                _("This client may not send events for facility %(code)s.", code=code),
                {"path": "facility.code"},
            )

    def _hc_insert(self, client, idempotency_key, digest, payload):
        """Insert the event; the unique constraints decide between concurrent duplicates.

        A concurrent transaction inserting the same key or event id makes this
        statement wait for its end; then nothing is inserted and an empty
        recordset is returned.
        """
        self.env.flush_all()
        occurred_at = parse_datetime(payload["occurred_at"])
        # Not logged on failure: the statement carries the payload (patient data).
        # A concurrent duplicate committed after this transaction's snapshot makes
        # it fail with a serialization error: Odoo then retries the request, which
        # finds and replays the first one.
        self.env.cr.execute(
            """
            INSERT INTO hc_inbound_event (
                client_id, company_id, event_id, event_type, idempotency_key, request_hash, payload,
                state, attempts, received_at, occurred_at, source_system, payment_ref,
                create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, 'queued', 0, now() AT TIME ZONE 'UTC', %s, %s, %s,
                    %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC')
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            [
                client.id,
                client.company_id.id,
                payload["event_id"],
                payload["event_type"],
                idempotency_key,
                digest,
                json.dumps(payload, default=_json_number),
                occurred_at,
                payload["source_system"],
                payload.get("payment_id"),
                self.env.uid,
                self.env.uid,
            ],
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    # ------------------------------------------------------------------
    # Semantic checks: what the schema cannot say (lookups, codes, dates)
    # ------------------------------------------------------------------
    @api.model
    def _hc_check_semantics(self, client, payload):
        env = self.with_user(client.user_id).with_company(client.company_id).sudo(False).env
        errors = []
        facility = env["hc.facility"]._hc_find_by_code(payload["facility"]["code"], client.company_id)
        if not facility:
            errors.append({"path": "facility.code", "message": _("Unknown facility.")})
        checker = getattr(self, "_hc_check_" + payload["event_type"].replace(".", "_"))
        try:
            conflict = checker(env, client, facility, payload, errors)
        except AccessError as error:
            raise ApiError(
                403,
                "technical_user_forbidden",
                _("The client's technical user may not read the records this event needs."),
                {"user": client.user_id.login},
            ) from error
        if errors:
            raise ApiError(422, "invalid_event", _("The event is not valid."), errors)
        if conflict:
            raise conflict
        return facility

    def _hc_check_charge_created(self, env, client, facility, payload, errors):
        patient = payload["patient"]
        if "MR" not in [identifier["type"] for identifier in patient["identifiers"]]:
            errors.append(
                {"path": "patient.identifiers", "message": _("A medical record number (type MR) is required.")}
            )
        today = fields.Date.context_today(self)
        if parse_date(patient["birth_date"]) > today:
            errors.append({"path": "patient.birth_date", "message": _("Must not be in the future.")})
        for index, coverage in enumerate(payload.get("coverages", [])):
            if not env["res.partner"]._hc_find_payer(coverage["payer_id"], client.company_id):
                errors.append({"path": f"coverages[{index}].payer_id", "message": _("Unknown payer.")})
        priorities = [coverage["priority"] for coverage in payload.get("coverages", [])]
        if len(set(priorities)) != len(priorities):
            errors.append({"path": "coverages", "message": _("Two coverages have the same priority.")})
        encounter = payload["encounter"]
        provider = encounter.get("ordering_provider")
        if provider and not is_valid_npi(provider["npi"]):
            errors.append({"path": "encounter.ordering_provider.npi", "message": _("Not a valid NPI (check digit).")})
        _codes, invalid = parse_diagnosis_codes(", ".join(encounter.get("diagnosis_codes", [])))
        for code in invalid:
            errors.append(
                {"path": "encounter.diagnosis_codes", "message": _("%(code)s is not an ICD-10-CM code.", code=code)}
            )
        self._hc_check_encounter_facility(self._hc_find_encounter(env, client, payload), facility, errors)
        if parse_date(encounter["date_of_service"]) > today:
            errors.append({"path": "encounter.date_of_service", "message": _("Must not be in the future.")})
        seen = set()
        for index, charge in enumerate(payload["charges"]):
            if charge["line_id"] in seen:
                errors.append({"path": f"charges[{index}].line_id", "message": _("Repeats another line's line_id.")})
            seen.add(charge["line_id"])
            if not env["product.product"]._hc_find_service(charge["code_system"], charge["code"], client.company_id):
                errors.append(
                    {
                        "path": f"charges[{index}].code",
                        "message": _(
                            "Unknown %(system)s code %(code)s.", system=charge["code_system"], code=charge["code"]
                        ),
                    }
                )
        return None

    def _hc_find_encounter(self, env, client, payload):
        return env["hc.encounter"].search(
            [
                ("company_id", "=", client.company_id.id),
                ("source_system", "=", payload["source_system"]),
                ("external_id", "=", payload["encounter"]["external_id"]),
            ],
            limit=1,
        )

    def _hc_check_encounter_facility(self, encounter, facility, errors):
        """An event names its facility: it may only touch that facility's encounters."""
        if encounter and facility and encounter.facility_id != facility:
            errors.append({"path": "encounter.external_id", "message": _("The encounter is at another facility.")})
            return False
        return True

    def _hc_pending_charge(self, client, payload):
        """True when a charge.created for this encounter is stored but not processed yet."""
        self.env.cr.execute(
            """
            SELECT 1 FROM hc_inbound_event
             WHERE client_id = %s AND event_type = 'charge.created' AND state IN ('queued', 'failed')
               AND source_system = %s AND payload -> 'encounter' ->> 'external_id' = %s
             LIMIT 1
            """,
            [client.id, payload["source_system"], payload["encounter"]["external_id"]],
        )
        return bool(self.env.cr.fetchone())

    def _hc_check_referenced_encounter(self, env, client, facility, payload, errors):
        """The encounter an event refers to, or None when there is nothing more to check.

        An event that follows a charge.created still in the queue is checked
        when it is processed; an unknown encounter or one at another facility
        is an error.
        """
        if self._hc_pending_charge(client, payload):
            return None
        encounter = self._hc_find_encounter(env, client, payload)
        if not encounter:
            errors.append({"path": "encounter.external_id", "message": _("Unknown encounter for this source system.")})
            return None
        if not self._hc_check_encounter_facility(encounter, facility, errors):
            return None
        return encounter

    def _hc_check_charge_cancelled(self, env, client, facility, payload, errors):
        encounter = self._hc_check_referenced_encounter(env, client, facility, payload, errors)
        if not encounter:
            return None
        known = set(encounter.line_ids.mapped("external_line_id"))
        for index, line_id in enumerate(payload["line_ids"]):
            if line_id not in known:
                errors.append({"path": f"line_ids[{index}]", "message": _("Unknown line of this encounter.")})
        return None

    def _hc_check_encounter_completed(self, env, client, facility, payload, errors):
        encounter = self._hc_check_referenced_encounter(env, client, facility, payload, errors)
        if not encounter:
            return None
        if encounter.state == "cancelled":
            errors.append({"path": "encounter.external_id", "message": _("The encounter is cancelled.")})
        elif encounter.state == "draft" and not encounter.line_ids.filtered(lambda line: not line.cancelled):
            errors.append({"path": "encounter.external_id", "message": _("The encounter has no service to bill.")})
        return None

    def _hc_find_invoice(self, env, client, payload, facility):
        domain = [
            ("company_id", "=", client.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("hc_encounter_id.facility_id", "=", facility.id),
        ]
        if payload.get("claim_number"):
            domain.append(("hc_claim_number", "=", payload["claim_number"]))
        else:
            domain.append(("name", "=", payload["invoice_number"]))
        return env["account.move"].search(domain, limit=1)

    def _hc_check_payment_received(self, env, client, facility, payload, errors):
        path = "claim_number" if payload.get("claim_number") else "invoice_number"
        invoice = self._hc_find_invoice(env, client, payload, facility)
        if not invoice:
            errors.append({"path": path, "message": _("Unknown invoice.")})
        elif invoice.state != "posted":
            errors.append({"path": path, "message": _("The invoice is not posted.")})
        elif invoice.currency_id.name != payload["currency"]:
            errors.append(
                {"path": "currency", "message": _("The invoice is in %(currency)s.", currency=invoice.currency_id.name)}
            )
        elif invoice.payment_state in ("paid", "in_payment", "reversed"):
            errors.append({"path": path, "message": _("The invoice has no open balance.")})
        else:
            amount = Decimal(payload["amount"])
            if amount != amount.quantize(Decimal(1).scaleb(-invoice.currency_id.decimal_places)):
                errors.append(
                    {
                        "path": "amount",
                        "message": _(
                            "%(currency)s amounts have %(digits)s decimals.",
                            currency=invoice.currency_id.name,
                            digits=invoice.currency_id.decimal_places,
                        ),
                    }
                )
        if not client._hc_payment_journal():
            errors.append({"path": "(client)", "message": _("The client has no payment journal configured.")})
        if (
            env["account.payment"]
            .sudo()
            .search_count(
                [("hc_api_client_id", "=", client.id), ("hc_external_payment_id", "=", payload["payment_id"])], limit=1
            )
        ):
            return self._hc_duplicate_payment(payload)
        return None

    def _hc_duplicate_payment(self, payload):
        return ApiError(
            409,
            "duplicate_payment",
            _("Payment %(payment)s was already received from this client.", payment=payload["payment_id"]),
            {"path": "payment_id"},
        )

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    def _hc_run(self):
        """Process these events, each in a savepoint; always record the outcome.

        A failure rolls back what the attempt did, keeps the event and schedules
        the next attempt with exponential backoff; after the client's last
        attempt the event is dead.  Returns the events processed.
        """
        processed = self.browse()
        for event in self.sudo():
            if event.state not in ("queued", "failed", "dead"):
                continue
            event.attempts += 1
            try:
                with _quiet_sql(), self.env.cr.savepoint():
                    vals = event._hc_process()
            except Exception as error:  # pylint: disable=broad-except
                # Any failure (data, access, database) is recorded on the event and retried.
                event._hc_record_failure(error)
            else:
                vals.update(
                    state="processed", processed_at=fields.Datetime.now(), last_error=False, next_attempt_at=False
                )
                event.write(vals)
                processed |= event
                _logger.info("Event %s (%s) processed at attempt %s", event.id, event.event_type, event.attempts)
        return processed

    def _hc_record_failure(self, error):
        self.ensure_one()
        if isinstance(error, psycopg2.Error):
            # The first line names the constraint; the details may quote patient data.
            message = _("Database error: %(error)s", error=(str(error).splitlines() or [type(error).__name__])[0])
        elif isinstance(error, UserError) and error.args:
            message = str(error.args[0])
        else:
            message = str(error) or repr(error)
        client = self.client_id
        vals = {"last_error": message[:2000]}
        if self.attempts >= client.max_attempts:
            vals.update(state="dead", next_attempt_at=False)
        else:
            vals.update(
                state="failed",
                next_attempt_at=next_attempt(fields.Datetime.now(), client.retry_base_seconds, self.attempts),
            )
        self.write(vals)
        _logger.warning(
            "Event %s (%s) failed at attempt %s/%s: %s",
            self.id,
            self.event_type,
            self.attempts,
            client.max_attempts,
            type(error).__name__,
        )
        if self.state == "dead":
            self._hc_on_dead()

    def _hc_on_dead(self):
        self.ensure_one()
        responsible = self.client_id.responsible_id
        if responsible:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=_("Dead API event %(event)s", event=self.event_id),
                note=_(
                    "Event %(event)s of client %(client)s failed %(attempts)s times: replay or ignore it.",
                    event=self.event_id,
                    client=self.client_id.name,
                    attempts=self.attempts,
                ),
            )
        status = self._hc_status_body()
        status.pop("last_error")  # may be shown to other subscribers: no free text
        self.env["hc.webhook.subscription"]._hc_notify(
            "event.dead", self.client_id, {"event": status}, client=self.client_id
        )

    def _hc_process(self):
        """Apply the event's payload with the technical user's rights; return the reference values."""
        self.ensure_one()
        client = self.client_id
        if not client.active:
            raise UserError(_("API client %(name)s is archived.", name=client.name))
        as_user = self.with_user(client.user_id).with_company(client.company_id).sudo(False)
        payload = self.payload
        facility = as_user.env["hc.facility"]._hc_find_by_code(payload["facility"]["code"], client.company_id)
        if not facility:
            raise UserError(_("Unknown facility %(code)s.", code=payload["facility"]["code"]))
        method = getattr(as_user, "_hc_process_" + self.event_type.replace(".", "_"))
        vals = method(client, facility, payload)
        vals["facility_id"] = facility.id
        return vals

    # charge.created ---------------------------------------------------------
    def _hc_process_charge_created(self, client, facility, payload):
        encounter_data = payload["encounter"]
        date_of_service = parse_date(encounter_data["date_of_service"])
        patient = self._hc_upsert_patient(facility, payload["patient"])
        for coverage in payload.get("coverages", []):
            self._hc_upsert_coverage(client, patient, coverage, date_of_service)
        encounter = self._hc_find_encounter(self.env, client, payload)
        self._hc_require_facility(encounter, facility)
        provider = self._hc_upsert_provider(encounter_data.get("ordering_provider"))
        diagnosis = ", ".join(parse_diagnosis_codes(", ".join(encounter_data.get("diagnosis_codes", [])))[0])
        encounter_vals = {
            "patient_id": patient.id,
            "facility_id": facility.id,
            "date_of_service": date_of_service,
            "diagnosis_codes": diagnosis or False,
        }
        if provider:
            encounter_vals["ordering_provider_id"] = provider.id
        if not encounter:
            encounter = self.env["hc.encounter"].create(
                {
                    **encounter_vals,
                    "company_id": client.company_id.id,
                    "source_system": payload["source_system"],
                    "external_id": encounter_data["external_id"],
                    "hc_api_client_id": client.id,
                }
            )
        elif encounter.state == "draft":
            _write_changes(encounter, encounter_vals)
        existing = {line.external_line_id: line for line in encounter.line_ids}
        new_lines = [charge for charge in payload["charges"] if charge["line_id"] not in existing]
        if new_lines and encounter.state != "draft":
            raise UserError(
                _(
                    "Encounter %(name)s is %(state)s: new charges cannot be added to it.",
                    name=encounter.name,
                    state=dict(encounter._fields["state"]._description_selection(self.env))[encounter.state],
                )
            )
        line_vals = []
        for charge in new_lines:
            product = self.env["product.product"]._hc_find_service(
                charge["code_system"], charge["code"], client.company_id
            )
            if not product:
                raise UserError(
                    _("Unknown %(system)s code %(code)s.", system=charge["code_system"], code=charge["code"])
                )
            vals = {
                "encounter_id": encounter.id,
                "product_id": product.id,
                "units": float(charge["units"]),
                "external_line_id": charge["line_id"],
                "description": charge.get("description") or False,
            }
            if charge.get("modifiers"):
                vals["modifiers"] = ", ".join(charge["modifiers"])
            if "charge_amount" in charge:
                vals["charge_amount"] = float(charge["charge_amount"])
            line_vals.append(vals)
        self.env["hc.encounter.line"].create(line_vals)
        lines = encounter.line_ids.filtered(
            lambda line: line.external_line_id in {c["line_id"] for c in payload["charges"]}
        )
        return {"patient_id": patient.id, "encounter_id": encounter.id, "encounter_line_ids": [(6, 0, lines.ids)]}

    def _hc_require_facility(self, encounter, facility):
        if encounter and encounter.facility_id != facility:
            raise UserError(_("Encounter %(name)s is at another facility.", name=encounter.name))

    def _hc_upsert_patient(self, facility, data):
        identifiers = {(item["type"], item["value"]) for item in data["identifiers"]}
        mrn = next(value for id_type, value in sorted(identifiers) if id_type == "MR")
        Partner = self.env["res.partner"]
        patient = Partner._hc_match_patient(facility, "MR", mrn)
        vals = {
            "name": f"{data['first_name']} {data['last_name']}",
            "hc_is_patient": True,
            "hc_birth_date": parse_date(data["birth_date"]),
            "hc_sex": data["sex"],
        }
        if data.get("phone"):
            vals["phone"] = data["phone"]
        address = data.get("address") or {}
        for key, field in (("street", "street"), ("street2", "street2"), ("city", "city"), ("zip", "zip")):
            if address.get(key):
                vals[field] = address[key]
        if address.get("country"):
            country = self.env["res.country"].search([("code", "=", address["country"])], limit=1)
            vals["country_id"] = country.id or False
            if address.get("state") and country:
                state = self.env["res.country.state"].search(
                    [("country_id", "=", country.id), ("code", "=", address["state"])], limit=1
                )
                vals["state_id"] = state.id or False
        if patient:
            _write_changes(patient, vals)
        else:
            patient = Partner.create(vals)
        known = {
            (identifier.id_type, identifier.value)
            for identifier in patient.hc_identifier_ids
            if identifier.facility_id == facility
        }
        new = [
            {"partner_id": patient.id, "facility_id": facility.id, "id_type": id_type, "value": value}
            for id_type, value in sorted(identifiers - known)
            if not Partner._hc_match_patient(facility, id_type, value)
        ]
        self.env["hc.patient.identifier"].create(new)
        return patient

    def _hc_upsert_coverage(self, client, patient, data, date_of_service):
        payer = self.env["res.partner"]._hc_find_payer(data["payer_id"], client.company_id)
        coverage = self.env["hc.coverage"].search(
            [("patient_id", "=", patient.id), ("payer_id", "=", payer.id), ("member_id", "=", data["member_id"])],
            limit=1,
        )
        vals = {"priority": str(data["priority"]), "group_number": data.get("group_number") or False}
        if coverage:
            _write_changes(coverage, {**vals, "date_from": min(coverage.date_from, date_of_service)})
            return coverage
        return self.env["hc.coverage"].create(
            {
                **vals,
                "patient_id": patient.id,
                "payer_id": payer.id,
                "member_id": data["member_id"],
                "company_id": client.company_id.id,
                "date_from": date_of_service,
            }
        )

    def _hc_upsert_provider(self, data):
        if not data:
            return self.env["res.partner"]
        Partner = self.env["res.partner"]
        provider = Partner.search([("hc_is_provider", "=", True), ("hc_npi", "=", data["npi"])], limit=1)
        return provider or Partner.create({"name": data["name"], "hc_is_provider": True, "hc_npi": data["npi"]})

    # charge.cancelled -------------------------------------------------------
    def _hc_get_encounter(self, client, facility, payload):
        """The encounter an event refers to, at its facility; a UserError otherwise (retried)."""
        encounter = self._hc_find_encounter(self.env, client, payload)
        if not encounter:
            raise UserError(_("Unknown encounter %(ref)s.", ref=payload["encounter"]["external_id"]))
        self._hc_require_facility(encounter, facility)
        return encounter

    def _hc_process_charge_cancelled(self, client, facility, payload):
        encounter = self._hc_get_encounter(client, facility, payload)
        lines = encounter.line_ids.filtered(lambda line: line.external_line_id in set(payload["line_ids"]))
        vals = {
            "patient_id": encounter.patient_id.id,
            "encounter_id": encounter.id,
            "encounter_line_ids": [(6, 0, lines.ids)],
        }
        if encounter.state == "invoiced" or encounter.invoice_id:
            exception = self.env["hc.billing.exception"]._hc_open(
                encounter,
                lines,
                "charge_cancelled",
                _(
                    "The source system cancelled %(count)s service line(s) of encounter %(name)s after it was "
                    "invoiced (claim %(claim)s).",
                    count=len(lines),
                    name=encounter.name,
                    claim=encounter.claim_number,
                ),
                event=self,
            )
            vals.update(billing_exception_id=exception.id, invoice_id=encounter.invoice_id.id)
            vals["result_message"] = _("The encounter is invoiced: a billing exception was opened for a clerk.")
            return vals
        if encounter.state == "cancelled":
            return vals
        lines.filtered(lambda line: not line.cancelled).write({"cancelled": True})
        self.env["hc.audit.log"]._hc_log(encounter, "encounter.lines_cancelled", {"lines": lines.ids, "event": self.id})
        return vals

    # encounter.completed ----------------------------------------------------
    def _hc_process_encounter_completed(self, client, facility, payload):
        encounter = self._hc_get_encounter(client, facility, payload)
        if encounter.state == "draft":
            encounter.action_ready()
        return {
            "patient_id": encounter.patient_id.id,
            "encounter_id": encounter.id,
            "encounter_line_ids": [(6, 0, encounter.line_ids.ids)],
        }

    # payment.received -------------------------------------------------------
    def _hc_process_payment_received(self, client, facility, payload):
        invoice = self._hc_find_invoice(self.env, client, payload, facility)
        if not invoice or invoice.state != "posted":
            raise UserError(_("The invoice of this payment is not found or not posted."))
        currency = invoice.currency_id
        amount = currency.round(float(payload["amount"]))
        residual = invoice.amount_residual
        paid_at = parse_datetime(payload["paid_at"])
        journal = client._hc_payment_journal()
        wizard = (
            self.env["account.payment.register"]
            .with_company(client.company_id)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": paid_at.date(),
                    "journal_id": journal.id,
                    "payment_difference_handling": "open",
                    "communication": _(
                        "%(method)s payment %(ref)s for %(invoice)s",
                        method=payload["method"],
                        ref=payload["payment_id"],
                        invoice=invoice.name,
                    ),
                }
            )
        )
        payment = wizard._create_payments()
        payment.write({"hc_api_client_id": client.id, "hc_external_payment_id": payload["payment_id"]})
        applied = min(amount, residual)
        unapplied = currency.round(amount - applied)
        vals = {
            "payment_id": payment.id,
            "invoice_id": invoice.id,
            "patient_id": invoice.hc_patient_id.id,
            "encounter_id": invoice.hc_encounter_id.id,
        }
        if not float_is_zero(unapplied, precision_rounding=currency.rounding):
            excess = f"{unapplied:.{currency.decimal_places}f}"
            vals["result_message"] = _(
                "%(excess)s %(currency)s above the open balance is left as an unapplied customer credit.",
                excess=excess,
                currency=currency.name,
            )
        elif float_compare(amount, residual, precision_rounding=currency.rounding) < 0:
            vals["result_message"] = _("Partial payment: the invoice stays open.")
        return vals

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    def _hc_references(self):
        self.ensure_one()
        event = self.sudo()
        refs = {}
        if event.patient_id:
            refs["patient"] = {"id": event.patient_id.id}
        encounter = event.encounter_id
        if encounter:
            refs["encounter"] = {
                "id": encounter.id,
                "name": encounter.name,
                "external_id": encounter.external_id or "",
                "state": encounter.state,
            }
        if event.encounter_line_ids:
            refs["lines"] = [
                {
                    "id": line.id,
                    "line_id": line.external_line_id or "",
                    "code": line.code or "",
                    "units": line.units,
                    "charge_amount": line.charge_amount,
                    "cancelled": line.cancelled,
                }
                for line in event.encounter_line_ids
            ]
        invoice = event.invoice_id or encounter.invoice_id
        if invoice:
            refs["invoice"] = {
                "id": invoice.id,
                "number": invoice.name if invoice.name and invoice.name != "/" else None,
                "claim_number": invoice.hc_claim_number or "",
                "state": invoice.state,
                "payment_state": invoice.payment_state,
                "amount_total": invoice.amount_total,
                "amount_residual": invoice.amount_residual,
            }
        if event.payment_id:
            payment = event.payment_id
            unapplied = sum(
                payment.move_id.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                ).mapped("amount_residual_currency")
            )
            refs["payment"] = {
                "id": payment.id,
                "amount": payment.amount,
                "reconciled_amount": payment.currency_id.round(payment.amount + unapplied),
                "unapplied_amount": payment.currency_id.round(-unapplied),
            }
        if event.billing_exception_id:
            exception = event.billing_exception_id
            refs["billing_exception"] = {"id": exception.id, "name": exception.name, "state": exception.state}
        return refs

    def _hc_status_body(self):
        self.ensure_one()

        def moment(value):
            return value.isoformat() + "Z" if value else None

        return {
            "id": self.id,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "state": self.state,
            "attempts": self.attempts,
            "last_error": self.last_error or None,
            "received_at": moment(self.received_at),
            "processed_at": moment(self.processed_at),
            "next_attempt_at": moment(self.next_attempt_at),
            "status_url": f"{BASE_PATH}/events/{self.event_id}",
            "message": self.result_message or None,
            "references": self._hc_references(),
        }

    # ------------------------------------------------------------------
    # Scheduled Action and UI
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_events(self, batch_size=50):
        """Process queued events and failed events whose next attempt is due.

        Rows are claimed with SKIP LOCKED, so concurrent runs (and requests)
        never process an event twice.
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM hc_inbound_event
             WHERE state = 'queued'
                OR (state = 'failed' AND next_attempt_at <= %s)
             ORDER BY id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [fields.Datetime.now(), batch_size],
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Each event is its own unit: commit after each one (not in tests), so that a
        # batch cut by the time limit keeps what it did, and lock it again first.
        auto_commit = not self.env.registry.in_test_mode()
        processed = self.browse()
        for event in events:
            if auto_commit and not event._hc_lock_again():
                continue
            processed |= event._hc_run()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # one event, one unit (cron only)
        remaining = self.search_count(
            [
                "|",
                ("state", "=", "queued"),
                "&",
                ("state", "=", "failed"),
                ("next_attempt_at", "<=", fields.Datetime.now()),
            ]
        )
        self.env["ir.cron"]._notify_progress(done=len(events), remaining=remaining)
        _logger.info("Inbound events: %s run, %s processed, %s due", len(events), len(processed), remaining)
        return processed

    def _hc_lock_again(self):
        self.ensure_one()
        self.env.cr.execute("SELECT id FROM hc_inbound_event WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [self.id])
        locked = bool(self.env.cr.fetchone())
        self.invalidate_recordset()
        return locked

    def action_replay(self):
        """Button: process failed or dead events again now (safe: processing is idempotent)."""
        for event in self:
            if event.state not in ("failed", "dead"):
                raise UserError(_("Only failed or dead events can be replayed."))
        self.env.flush_all()
        self.env.cr.execute("SELECT id FROM hc_inbound_event WHERE id IN %s FOR NO KEY UPDATE", [tuple(self.ids)])
        self.invalidate_recordset()
        for event in self.sudo():
            if event.state not in ("failed", "dead"):
                raise UserError(_("Event %(event)s was processed meanwhile.", event=event.event_id))
            if event.state == "dead":
                # A replay from the UI gets a fresh series of attempts.
                event.attempts = 0
            event.activity_unlink(["mail.mail_activity_data_todo"])
            self.env["hc.audit.log"]._hc_log(event, "api_event.replayed", {"state": event.state})
        self._hc_run()
        return True

    def action_ignore(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Ignore Events"),
            "res_model": "hc.inbound.event.ignore",
            "view_mode": "form",
            "target": "new",
            "context": {"default_event_ids": self.ids},
        }

    def _hc_ignore(self, reason):
        for event in self:
            if event.state not in ("queued", "failed", "dead"):
                raise UserError(_("Only queued, failed or dead events can be ignored."))
        # Clerks read events; their state is changed only through these buttons.
        events = self.sudo()
        events.write({"state": "ignored", "ignore_reason": reason, "next_attempt_at": False})
        events.activity_unlink(["mail.mail_activity_data_todo"])
        for event in events:
            event.message_post(body=_("Ignored: %(reason)s", reason=reason))
            self.env["hc.audit.log"]._hc_log(event, "api_event.ignored", {"reason": reason})
        return True
