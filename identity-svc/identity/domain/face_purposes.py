"""What a face check may be started for, besides real-name verification itself."""

EMPLOYMENT_ACCEPT = "employment.accept"

# an action that needs a fresh face check names its purpose here
ACTION_PURPOSES = frozenset({EMPLOYMENT_ACCEPT})
