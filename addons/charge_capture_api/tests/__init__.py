from . import test_api_auth
from . import test_api_events
from . import test_notifications
from . import test_openapi
