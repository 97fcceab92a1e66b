"""What a face check may be started for, besides real-name verification itself (the purposes are
part of the wire contract: the mini-program and employment-svc name them too)."""
from xjkit.contract import FACE_PURPOSE_EMPLOYMENT_ACCEPT, FACE_PURPOSES

EMPLOYMENT_ACCEPT = FACE_PURPOSE_EMPLOYMENT_ACCEPT

# an action that needs a fresh face check names its purpose in xjkit.contract
ACTION_PURPOSES = frozenset(FACE_PURPOSES)
