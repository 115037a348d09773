import itertools
import json
import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_openapi

from odoo.tests import tagged

from ..apispec.validator import resolve
from ..controllers.main import HealthcareApiController
from .common import ChargeCaptureCommon

_keys = itertools.count()


def from_schema(schema, document):
    """A hypothesis strategy of values that match ``schema`` (the subset our schemas use)."""
    schema = resolve(schema, document)
    if "discriminator" in schema:
        return st.one_of([from_schema({"$ref": ref}, document) for ref in schema["discriminator"]["mapping"].values()])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        required = {name: from_schema(properties[name], document) for name in schema.get("required", [])}
        optional = {name: from_schema(sub, document) for name, sub in properties.items() if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "array":
        return st.lists(
            from_schema(schema["items"], document),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 3), 3),
        )
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates().map(lambda value: value.isoformat())
        if schema.get("format") == "date-time":
            return st.datetimes().map(lambda value: value.replace(microsecond=0).isoformat() + "Z")
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda value: schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 10**6)
            )
        return st.text(
            alphabet=string.ascii_letters + string.digits + " -",
            min_size=schema.get("minLength", 0),
            max_size=min(schema.get("maxLength", 20), 20),
        )
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**6)), schema.get("maximum", 10**6))
    if kind == "number":
        return st.integers(1, 10**5).map(lambda cents: cents / 100)
    return st.none()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@st.composite
def mutated(draw, valid):
    """A valid body with one part replaced by an arbitrary JSON value or removed."""
    body = json.loads(json.dumps(draw(valid)))
    paths = [path for path in _paths(body) if path]
    path = draw(st.sampled_from(paths))
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSON_VALUES)
    return body


@tagged("post_install", "-at_install")
class TestOpenApi(ChargeCaptureCommon):
    def test_the_served_document_is_valid_and_matches_the_routes(self):
        response = self._get("/openapi.json")
        document = response.json()
        validate_openapi(document)
        self.assertEqual(document["servers"][0]["url"], self.base_url() + "/api/healthcare/v1")
        routes = set()
        for attribute in vars(HealthcareApiController).values():
            routing = getattr(attribute, "original_routing", None)
            if not routing:
                continue
            for route in routing["routes"]:
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).removeprefix("/api/healthcare/v1")
                routes |= {(path, method.lower()) for method in routing["methods"]}
        documented = {(path, method) for path, item in document["paths"].items() for method in item}
        self.assertEqual(routes, documented)

    def test_documented_request_fields_are_the_validated_ones(self):
        # A body generated from the document is never refused for its shape: only lookups
        # (facility, codes...) may refuse it, with 403/409/422 and a path.
        document = self.document
        example = from_schema({"$ref": "#/components/schemas/ChargeCreated"}, document)

        @settings(
            max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(example)
        def check(body):
            response = self._post(body, key=f"doc-{next(_keys)}")
            self.assertIn(response.status_code, (201, 202, 403, 409, 422), response.text)
            if response.status_code == 422:
                messages = {item["message"] for item in response.json()["error"]["details"]}
                self.assertFalse(
                    {m for m in messages if m.startswith(("is required", "is not a known field", "must be "))},
                    response.text,
                )

        check()

    def test_fuzzed_bodies_never_give_a_5xx_nor_create_records_when_refused(self):
        document = self.document
        valid = from_schema({"$ref": "#/components/schemas/Event"}, document)
        known = st.builds(lambda: self._charge_event(event_id=f"FUZZ-{next(_keys)}"))
        bodies = st.one_of(valid, mutated(valid), mutated(known), JSON_VALUES)

        @settings(
            max_examples=80, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(bodies)
        def check(body):
            before = self._record_counts()
            response = self._post(body, key=f"fuzz-{next(_keys)}")
            self.assertLess(response.status_code, 500, response.text)
            self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
            if response.status_code >= 400:
                self.assertEqual(set(response.json()["error"]), {"code", "message", "details"})
                self.assertEqual(self._record_counts(), before, response.text)

        check()
