from .events import EVENT_STATES, EVENT_TYPES, MAX_BODY_BYTES, NOTIFICATION_TYPES, SCHEMAS, event_schema
from .openapi import BASE_PATH, openapi_document
from .validator import JsonError, parse_date, parse_datetime, parse_json, validate
