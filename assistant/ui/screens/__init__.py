"""One module per screen; `assistant.ui.app.MODE_SCREENS` names the class each mode uses."""
