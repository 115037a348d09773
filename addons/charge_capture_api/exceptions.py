"""Plain exceptions of the API, turned into HTTP answers by the controller."""


class ApiError(Exception):
    """An answer other than success: HTTP status, error code, message and details.

    ``details`` is a list of ``{"path": ..., "message": ...}`` for validation
    errors, or a dict for other errors.
    """

    def __init__(self, status, code, message, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else []
        self.headers = headers or {}

    def body(self):
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}
