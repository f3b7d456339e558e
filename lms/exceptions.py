class RefusedAction(Exception):
    """A refused action of a service; ``message`` is translated and safe to
    show. Each app's domain exceptions derive from it."""

    default_message = ""

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
