"""The businesses (业务) an enterprise can submit, and the enterprise types (the shared contract)."""
from xjkit.contract import (  # noqa: F401  (filing's modules name them from here)
    BASIC_CHANGE, BUSINESSES, COST_CONSULTING, COST_PROJECT, ENTERPRISE_TYPES, EXTENSION, FIRST_FILING,
    MANAGER_CHANGE, PERSONNEL_CHANGE, PERSONNEL_FILING, QUALIFICATION_CHANGE, TECH_MANAGER_CHANGE,
)
