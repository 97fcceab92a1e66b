"""A seeded generator of national-platform datasets, in the format of ``data/national-platform.json``.

The development dataset in ``data/`` is small and hand-checked; benchmarks and load tests need
thousands of enterprises. ``generate`` makes them: the same seed gives the same document, every
credit code passes GB 32100 and every ID number GB 11643 (both computed by ``xjkit.testdata``),
and every date is placed relative to ``generated_for`` (the business date the dataset describes),
so a dataset stays meaningful whatever day it is generated on.

    xj-national-dataset --enterprises 3000 --persons-per-enterprise 5 --seed 7 --out big.json

Per enterprise type it gives the qualifications of that type (a share of them expired) and staff
with the registered certificates that type employs; one enterprise in ``xinjiang_every`` is
registered in Xinjiang (65…), which needs no 进疆 filing.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta

from xjkit.testdata import make_id_card, make_uscc

ENTERPRISE_TYPES = ("construction", "supervision", "survey", "design", "quality_testing", "bidding_agency",
                    "cost_consulting")

# (region code, province, city, the province in enterprise names, its one-character short name)
REGIONS = (
    ("510100", "四川省", "成都市", "四川", "川"), ("610100", "陕西省", "西安市", "陕西", "陕"),
    ("620100", "甘肃省", "兰州市", "甘肃", "甘"), ("410100", "河南省", "郑州市", "河南", "豫"),
    ("320100", "江苏省", "南京市", "江苏", "苏"), ("330100", "浙江省", "杭州市", "浙江", "浙"),
    ("110105", "北京市", "朝阳区", "北京", "京"), ("420100", "湖北省", "武汉市", "湖北", "鄂"),
    ("370100", "山东省", "济南市", "山东", "鲁"), ("500103", "重庆市", "渝中区", "重庆", "渝"),
    ("430100", "湖南省", "长沙市", "湖南", "湘"), ("440100", "广东省", "广州市", "广东", "粤"),
)
XINJIANG = ("650100", "新疆维吾尔自治区", "乌鲁木齐市", "新疆", "新")
USCC_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # valid in both GB 11714 bodies and GB 32100 codes

BRANDS = ("黄河", "华西", "秦川", "楚天", "之江", "陇原", "西部", "天府", "中原", "长安", "昆仑", "天山", "丝路",
          "金盾", "宏图", "鼎信", "安泰", "恒通", "远景", "汇通")
SUFFIX = {
    "construction": "建设集团有限公司", "supervision": "建设监理咨询有限公司", "survey": "勘察研究院有限公司",
    "design": "建筑设计研究院有限公司", "quality_testing": "建设工程质量检测有限公司",
    "bidding_agency": "招标代理有限公司", "cost_consulting": "工程造价咨询有限公司",
}
CERT_PREFIX = {"construction": "C", "supervision": "S", "survey": "S", "design": "D", "quality_testing": "Q",
               "bidding_agency": "B", "cost_consulting": "C"}
# (code, name, grade) of the qualifications each type holds
QUALIFICATIONS = {
    "construction": (("D101T", "建筑工程施工总承包", "特级"), ("D103B", "市政公用工程施工总承包", "二级"),
                     ("D201B", "地基基础工程专业承包", "二级"), ("D215A", "建筑装修装饰工程专业承包", "一级")),
    "supervision": (("E101A", "房屋建筑工程监理", "甲级"), ("E102B", "市政公用工程监理", "乙级")),
    "survey": (("B101A", "工程勘察综合资质", "甲级"), ("B201B", "岩土工程勘察", "乙级")),
    "design": (("A101A", "建筑行业（建筑工程）设计", "甲级"), ("A201B", "市政行业设计", "乙级")),
    "quality_testing": (("Q101Z", "建设工程质量检测机构综合资质", "不分等级"),
                        ("Q201Z", "主体结构及装饰装修检测", "不分等级")),
    "bidding_agency": (("F101Z", "工程招标代理机构", "不分等级"),),
    "cost_consulting": (("I101B", "工程造价咨询企业", "乙级"),),
}
# (certificate type, specialities to choose from) of the staff each type employs
STAFF_CERTIFICATES = {
    "construction": (("一级注册建造师", ("建筑工程", "市政公用工程", "公路工程", "机电工程")),
                     ("二级注册建造师", ("建筑工程", "市政公用工程"))),
    "supervision": (("注册监理工程师", ("房屋建筑工程", "市政公用工程")),),
    "survey": (("注册土木工程师（岩土）", ("岩土工程",)),),
    "design": (("一级注册结构工程师", ("结构",)), ("一级注册建筑师", ("建筑",))),
    "quality_testing": (("二级注册建造师", ("建筑工程",)),),
    "bidding_agency": (("一级注册造价工程师", ("土木建筑工程",)),),
    "cost_consulting": (("一级注册造价工程师", ("土木建筑工程", "安装工程")), ("二级注册造价工程师", ("土木建筑工程",))),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文辉鹏飞宇浩然轩欣海燕宏"
STREETS = ("人民南路", "高新大道", "解放路", "建设大道", "中山路", "长江路", "文化路", "新华街")


def generate(enterprises: int = 15, persons_per_enterprise: int = 5, *, seed: int = 2026,
             generated_for: date = date(2026, 11, 25), expired_share: float = 0.1,
             xinjiang_every: int = 0) -> dict:
    """A national-platform dataset of ``enterprises`` enterprises, each with
    ``persons_per_enterprise`` registered staff. ``expired_share`` of the qualifications and
    certificates ended before ``generated_for``; every ``xinjiang_every``-th enterprise (0: none) is
    registered in Xinjiang."""
    if enterprises < 0 or persons_per_enterprise < 0:
        raise ValueError("counts must not be negative")
    if not 0 <= expired_share <= 1:
        raise ValueError("expired_share must be between 0 and 1")
    rng = random.Random(seed)
    used_usccs, used_ids = set(), set()
    document = {"source": "全国建筑市场监管公共服务平台 (simulated)", "generated_for": generated_for.isoformat(),
                "enterprises": [], "persons": []}
    for index in range(enterprises):
        kind = ENTERPRISE_TYPES[index % len(ENTERPRISE_TYPES)]
        in_xinjiang = xinjiang_every > 0 and index % xinjiang_every == xinjiang_every - 1
        region = XINJIANG if in_xinjiang else REGIONS[rng.randrange(len(REGIONS))]
        enterprise = _enterprise(rng, index, kind, region, generated_for, expired_share, used_usccs)
        document["enterprises"].append(enterprise)
        for _ in range(persons_per_enterprise):
            document["persons"].append(_person(rng, kind, region, enterprise, generated_for, expired_share, used_ids))
    return document


def _enterprise(rng, index, kind, region, today, expired_share, used_usccs):
    code, province, city, in_name, short = region
    while True:
        uscc = make_uscc(region=code, body8="".join(rng.choice(USCC_BODY_CHARS) for _ in range(8)))
        if uscc not in used_usccs:
            used_usccs.add(uscc)
            break
    brand = BRANDS[rng.randrange(len(BRANDS))]
    # past the first few, a number keeps names unique: the public search must tell them apart
    name = f"{in_name}{brand}{'' if index < len(BRANDS) else index}{SUFFIX[kind]}"
    qualifications = []
    for q_code, q_name, grade in QUALIFICATIONS[kind]:
        expired = rng.random() < expired_share
        issued, expires = _validity(rng, today, expired, years=5)
        qualifications.append({
            "cert_no": f"{CERT_PREFIX[kind]}{rng.randrange(10**9, 10**10)}", "code": q_code, "category": kind,
            "name": q_name, "grade": grade, "issued_on": issued.isoformat(), "expires_on": expires.isoformat(),
            "issuer": "住房和城乡建设部" if grade in ("特级", "甲级") else f"{province}住房和城乡建设厅",
        })
    enterprise = {
        "uscc": uscc, "name": name, "legal_representative": _person_name(rng),
        "region_code": code, "region_name": f"{province}{city}",
        "address": f"{province}{city}{STREETS[rng.randrange(len(STREETS))]}{rng.randrange(1, 400)}号",
        "registered_capital_wan": rng.choice((300, 500, 1000, 2000, 5000, 10000)),
        "established_on": (today - timedelta(days=rng.randrange(3 * 365, 25 * 365))).isoformat(),
        "qualifications": qualifications,
    }
    if kind == "construction":
        issued, expires = _validity(rng, today, False, years=3)
        enterprise["safety_license"] = {"cert_no": f"（{short}）JZ安许证字[{issued.year}]{rng.randrange(100000, 999999)}",
                                        "expires_on": expires.isoformat()}
    return enterprise


def _person(rng, kind, region, enterprise, today, expired_share, used_ids):
    code, _, _, _, short = region
    while True:
        birth = date(rng.randrange(1960, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
        id_card_no = make_id_card(region=code, birth=birth.strftime("%Y%m%d"), seq=f"{rng.randrange(1000):03d}")
        if id_card_no not in used_ids:
            used_ids.add(id_card_no)
            break
    cert_type, specialties = STAFF_CERTIFICATES[kind][rng.randrange(len(STAFF_CERTIFICATES[kind]))]
    chosen = rng.sample(specialties, k=rng.randint(1, min(2, len(specialties))))
    expired = rng.random() < expired_share
    valid_from, valid_until = _validity(rng, today, expired, years=3)
    return {
        "id_card_no": id_card_no, "name": _person_name(rng),
        "gender": "男" if int(id_card_no[16]) % 2 else "女",
        "registered_certs": [{
            "cert_no": f"{short}{rng.randrange(10**11, 10**12)}", "type": cert_type, "specialties": chosen,
            "seal_no": f"{short}{rng.randrange(10**11, 10**12)}", "registered_uscc": enterprise["uscc"],
            "registered_unit": enterprise["name"], "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
        }],
    }


def _validity(rng, today, expired, years):
    """(start, end) of a ``years``-year validity: ended 1–400 days before ``today`` when ``expired``,
    otherwise still running at least 400 days past it (so a year of business time travel keeps it valid)."""
    span = timedelta(days=365 * years)
    if expired:
        end = today - timedelta(days=rng.randrange(1, 401))
    else:
        end = today + timedelta(days=rng.randrange(400, 365 * years))
    return end - span + timedelta(days=1), end


def _person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="xj-national-dataset",
                                     description="Generate a national-platform dataset (seeded, valid check digits).")
    parser.add_argument("--enterprises", type=int, default=15)
    parser.add_argument("--persons-per-enterprise", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--generated-for", default="2026-11-25", help="the business date the data describes")
    parser.add_argument("--expired-share", type=float, default=0.1)
    parser.add_argument("--xinjiang-every", type=int, default=0, help="every N-th enterprise is a Xinjiang one (0: none)")
    parser.add_argument("--out", help="output file (default: standard output)")
    args = parser.parse_args(argv)
    try:
        document = generate(args.enterprises, args.persons_per_enterprise, seed=args.seed,
                            generated_for=date.fromisoformat(args.generated_for), expired_share=args.expired_share,
                            xinjiang_every=args.xinjiang_every)
    except ValueError as error:
        parser.error(str(error))
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
