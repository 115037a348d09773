from . import hc_api_client_secret
from . import hc_inbound_event_ignore
