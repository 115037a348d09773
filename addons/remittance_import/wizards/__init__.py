from . import hc_remittance_upload
from . import hc_remittance_preview
