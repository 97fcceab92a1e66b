"""A person's profile (PUT /mp/me): phone, education, address, each validated here."""
from xjkit.errors import ValidationFailed
from xjkit.validators import check_mobile

EDUCATION_LEVELS = ("初中及以下", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")
MAX_ADDRESS_LENGTH = 200


def validated_profile(phone, education, address):
    errors = {}
    if phone is not None:
        phone = phone.strip()
        problem = check_mobile(phone)
        if problem:
            errors["phone"] = [problem]
    if education is not None and education not in EDUCATION_LEVELS:
        errors["education"] = ["学历应为：" + "、".join(EDUCATION_LEVELS)]
    if address is not None:
        address = address.strip()
        if not address or len(address) > MAX_ADDRESS_LENGTH:
            errors["address"] = [f"地址不能为空且不超过{MAX_ADDRESS_LENGTH}个字"]
    if errors:
        raise ValidationFailed(errors)
    return phone, education, address
