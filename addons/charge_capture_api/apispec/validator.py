"""A small validator for the JSON Schema subset the API's schemas use (pure Python).

The same schema dictionaries are published in the OpenAPI document, so what the
document says is what the server checks.  Supported keywords: ``type``,
``properties``, ``required``, ``additionalProperties: false``, ``enum``,
``minLength``, ``maxLength``, ``pattern``, ``format`` (``date``,
``date-time``), ``items``, ``minItems``, ``maxItems``, ``uniqueItems``,
``minimum``, ``maximum``, ``exclusiveMinimum``, ``multipleOf``, ``anyOf`` of
``required`` lists, and ``discriminator`` with ``oneOf`` ``$ref``\\ s.

Numbers are parsed as ``Decimal`` (see ``parse_json``) so that amounts keep
their exact decimal value.
"""

import datetime
import json
import re
from decimal import Decimal, InvalidOperation

_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
}


class JsonError(ValueError):
    """The body is not JSON."""


def _reject_constant(name):
    raise JsonError(f"{name} is not valid JSON")


def parse_json(raw):
    """Parse a request body: UTF-8 JSON, numbers with a fraction as ``Decimal``."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except UnicodeDecodeError as error:
        raise JsonError("The body is not UTF-8 text.") from error
    except json.JSONDecodeError as error:
        raise JsonError(f"Malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}.") from error
    except RecursionError as error:
        raise JsonError("The JSON is nested too deeply.") from error
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise JsonError(f"The JSON cannot be read: {error}.") from error


def join_path(path, key):
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _is_type(value, expected):
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return is_number(value)
    if expected == "null":
        return value is None
    if isinstance(expected, list):
        return any(_is_type(value, item) for item in expected)
    return True


def parse_date(value):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def parse_datetime(value):
    """An ISO 8601 date and time with an offset (``Z`` or ``+hh:mm``), as naive UTC."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})", value):
        raise ValueError(value)
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


_FORMATS = {
    "date": (parse_date, "must be a date (YYYY-MM-DD)"),
    "date-time": (parse_datetime, "must be a date and time with an offset (ISO 8601, e.g. 2025-01-31T08:30:00Z)"),
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _is_multiple(number, step):
    try:
        quotient = number / step
        return quotient == quotient.to_integral_value()
    except (InvalidOperation, OverflowError):
        return False


def resolve(schema, root):
    """Follow the $ref of ``schema`` within the document ``root``."""
    ref = schema.get("$ref")
    while ref:
        name = ref.rsplit("/", 1)[-1]
        schema = root["components"]["schemas"][name]
        ref = schema.get("$ref")
    return schema


def validate(value, schema, root=None, path=""):
    """Every problem of ``value`` against ``schema``, as ``[{"path", "message"}]``."""
    errors = []
    _validate(value, schema, root or {}, path, errors)
    return errors


def _validate(value, schema, root, path, errors):
    schema = resolve(schema, root)
    where = path or "(body)"

    def error(message):
        errors.append({"path": where, "message": message})

    if "discriminator" in schema:
        return _validate_discriminated(value, schema, root, path, errors)
    expected = schema.get("type")
    if expected and not _is_type(value, expected):
        names = expected if isinstance(expected, list) else [expected]
        return error("must be " + " or ".join(_TYPE_NAMES.get(name, name) for name in names))
    if "enum" in schema and value not in schema["enum"]:
        return error("must be one of: " + ", ".join(str(item) for item in schema["enum"]))
    if isinstance(value, str):
        if _CONTROL.search(value):
            return error("must not contain control characters")
        if "minLength" in schema and len(value) < schema["minLength"]:
            return error(
                "must not be empty"
                if schema["minLength"] == 1
                else f"must have at least {schema['minLength']} characters"
            )
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return error(f"must have at most {schema['maxLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return error(schema.get("x-pattern-message") or f"must match {schema['pattern']}")
        if "format" in schema and schema["format"] in _FORMATS:
            parser, message = _FORMATS[schema["format"]]
            try:
                parser(value)
            except (ValueError, OverflowError):
                return error(message)
    if is_number(value):
        number = Decimal(value)
        if number and not -12 <= number.adjusted() <= 15:
            return error("is out of range")
        if "minimum" in schema and number < Decimal(str(schema["minimum"])):
            return error(f"must be at least {schema['minimum']}")
        if "exclusiveMinimum" in schema and number <= Decimal(str(schema["exclusiveMinimum"])):
            return error(f"must be greater than {schema['exclusiveMinimum']}")
        if "maximum" in schema and number > Decimal(str(schema["maximum"])):
            return error(f"must be at most {schema['maximum']}")
        if "multipleOf" in schema and not _is_multiple(number, Decimal(str(schema["multipleOf"]))):
            return error(f"must be a multiple of {schema['multipleOf']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            return error(f"must have at least {schema['minItems']} item(s)")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return error(f"must have at most {schema['maxItems']} items")
        if schema.get("uniqueItems") and len({json.dumps(item, sort_keys=True, default=str) for item in value}) != len(
            value
        ):
            return error("must not repeat an item")
        if "items" in schema:
            for index, item in enumerate(value):
                _validate(item, schema["items"], root, join_path(path, index), errors)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append({"path": join_path(path, name), "message": "is required"})
        if schema.get("anyOf"):
            alternatives = [option.get("required", []) for option in schema["anyOf"]]
            if not any(all(name in value for name in names) for names in alternatives):
                error("must have one of: " + " or ".join(", ".join(names) for names in alternatives))
        for name, item in value.items():
            if name in properties:
                _validate(item, properties[name], root, join_path(path, name), errors)
            elif schema.get("additionalProperties") is False:
                errors.append({"path": join_path(path, name), "message": "is not a known field"})
    return None


def _validate_discriminated(value, schema, root, path, errors):
    prop = schema["discriminator"]["propertyName"]
    mapping = schema["discriminator"]["mapping"]
    if not isinstance(value, dict):
        errors.append({"path": path or "(body)", "message": "must be an object"})
        return
    if prop not in value:
        errors.append({"path": join_path(path, prop), "message": "is required"})
        return
    kind = value[prop]
    if not isinstance(kind, str) or kind not in mapping:
        errors.append({"path": join_path(path, prop), "message": "must be one of: " + ", ".join(mapping)})
        return
    _validate(value, {"$ref": mapping[kind]}, root, path, errors)
