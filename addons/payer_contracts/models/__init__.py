from . import hc_payer_contract
from . import hc_fee_schedule_line
from . import hc_encounter
from . import account_move
from . import account_move_line
