# skill: O009
# function: missing_settings
def missing_settings(required, settings):
    return [name for name in required if name not in settings.keys()]
