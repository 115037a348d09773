"""Plain exceptions of remittance_import (converted to UserError at the ORM edge)."""


class RemittanceError(Exception):
    """A remittance file cannot be imported; ``problems`` lists why (``remit835.Problem``)."""

    def __init__(self, message, problems=()):
        self.problems = list(problems)
        super().__init__(message)
