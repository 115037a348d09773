from . import hc_price_override
