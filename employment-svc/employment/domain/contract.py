"""Rules on the labour contract's period, checked before an offer is made."""
import datetime

MAX_YEARS = 10
MAX_YEARS_BACK = 1


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def contract_problems(start, end, today):
    """Field path → Chinese messages; empty when the period is acceptable. Dates are ``date``s."""
    problems = {}
    if end <= start:
        problems["contract_end"] = ["合同结束日期应晚于开始日期"]
    elif end > _years_later(start, MAX_YEARS):
        problems["contract_end"] = [f"合同期限不能超过{MAX_YEARS}年"]
    elif end < today:
        problems["contract_end"] = ["合同结束日期不能早于今天"]
    if start < _years_later(today, -MAX_YEARS_BACK):
        problems["contract_start"] = [f"合同开始日期不能早于{MAX_YEARS_BACK}年前"]
    return problems


def parse_date(value):
    """An ISO date (``YYYY-MM-DD``) or None when it is not one."""
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None
