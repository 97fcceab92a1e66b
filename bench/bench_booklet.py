"""Booklet benchmark: filing-svc's ``render_booklet`` for an enterprise with 500 filed staff
(default), 3 qualifications and 20 cost projects: time per booklet, PDF size and peak memory.

The pure rendering function runs in this process (no store, no broker: the booklet is rendered from
a registration the service has already read). The baseline, measured in the same run, is the same
registration with no filed staff: the fixed cost of a booklet (cover, QR code, the other sections,
the embedded font subsets), so the difference is what the staff table costs.

  cold              the first render in this process: it also parses and registers the CJK font
  N staff           ``--repeat`` renders (default 5), alternating with the baseline
  0 staff           the baseline

Memory, two ways:
  tracemalloc peak  Python allocations during one warm render (font already registered), above
                    what was allocated before it
  ru_maxrss         the peak RSS (``resource.getrusage(RUSAGE_SELF)``) of three fresh processes:
                    one that only imports (reportlab, the renderer, the kit) and builds the
                    registration, one that also registers the font, one that also renders once;
                    the steps between them are what the font and the render add to a process.
                    Linux carries the peak RSS of the process that calls exec into ru_maxrss, so a
                    child started straight from this (large) process would report this process's
                    size: the children are started through a small ``sh``, and each also reports
                    its VmHWM (which starts afresh at exec) as a cross-check

    .venv/bin/python bench/bench_booklet.py [--persons 500] [--repeat 5] [--save PATH.pdf]
"""
import argparse
import datetime
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import peak_rss_kib, ratio, refuse_monkey_patching, table  # noqa: E402

from xjkit.clock import SHANGHAI  # noqa: E402
from xjkit.masking import mask_id_card  # noqa: E402
from xjkit.testdata import make_id_card, make_uscc  # noqa: E402

from filing.adapters import booklet  # noqa: E402

BOOKLET_NO = "XJBS-2026-000001"
VERIFY_URL = f"https://xj.example.gov.cn/api/v1/public/booklets/{BOOKLET_NO}"
GENERATED_AT = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
KINDS = ("registered", "special_operation", "safety", "title", "tech_worker", "post")


def id_card(number):
    birth = (datetime.date(1980, 1, 1) + datetime.timedelta(days=number // 1000)).strftime("%Y%m%d")
    return make_id_card(region="510104", birth=birth, seq=f"{number % 1000:03d}")


def registration(persons=500, qualifications=3, cost_projects=20):
    """A cost-consulting registration shaped as filing-svc hands it to the renderer."""
    personnel = []
    for number in range(persons):
        kind = KINDS[number % len(KINDS)]
        personnel.append({
            "certificate_id": f"cert-{number}", "kind": kind,
            "person_name": f"基准职工{number:04d}" if number % 5 else f"阿不都热依木·买买提{number:04d}",
            "id_card_masked": mask_id_card(id_card(number)),
            "cert_no": f"川1512019{number:06d}",
            "type": {"registered": "一级造价工程师", "safety": "C", "title": "高级工程师", "tech_worker": "钢筋工",
                     "post": "施工员"}.get(kind, "电工作业"),
            "specialties": ["土木建筑工程", "安装工程"] if kind == "registered" else [],
            "valid_until": None if kind == "title" else "2027-06-30",
        })
    return {
        "uscc": make_uscc(region="510100", body8="MA6CBNCH"),
        "enterprise_type": "cost_consulting",
        "enterprise_name": "四川基准测试工程造价咨询有限公司",
        "status": "valid",
        "approved_at": datetime.datetime(2026, 3, 2, 10, 15, tzinfo=SHANGHAI),
        "valid_until": "2026-12-31",
        "basic": {"name": "四川基准测试工程造价咨询有限公司", "legal_representative": "张建国",
                  "registered_address": "四川省成都市高新区天府大道北段1700号环球中心E1区10楼1008号",
                  "registered_capital_wan": 5000, "established_on": "2008-06-18", "contact_name": "李晓梅",
                  "contact_phone": "13800138000", "xj_office_address": "新疆维吾尔自治区乌鲁木齐市天山区解放北路100号"},
        "manager": {"person_id": "p-m", "name": "王志强", "id_card_masked": mask_id_card(id_card(90001))},
        "tech_manager": {"person_id": "p-t", "name": "古丽娜尔·吐尔逊", "id_card_masked": mask_id_card(id_card(90002))},
        "qualifications": [
            {"cert_no": f"D2510123{number:02d}", "code": f"D15{number}", "name": f"工程造价咨询企业资质（{number + 1}）",
             "grade": "甲级", "category": "工程造价咨询", "issued_on": "2021-05-01", "expires_on": "2026-05-01"}
            for number in range(qualifications)],
        "personnel": personnel,
        "cost_projects": [
            {"project_name": f"乌鲁木齐市城市更新改造项目全过程造价咨询（第{number + 1}标段）", "location_code": "650102",
             "client_name": "乌鲁木齐市城市建设投资（集团）有限公司", "contract_amount_fen": 1234567 + number,
             "contract_signed_on": "2026-04-01", "service_start": "2026-04-10", "service_end": "2027-04-09",
             "lead_person_name": "王志强"}
            for number in range(cost_projects)],
    }


def render(data):
    return booklet.render_booklet(data, BOOKLET_NO, VERIFY_URL, GENERATED_AT)


def pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def timed(data):
    begin = time.perf_counter()
    pdf = render(data)
    return time.perf_counter() - begin, pdf


def tracemalloc_peak(data):
    """Peak Python allocation of one render above what was allocated before it (bytes)."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        render(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


CHILD_STEPS = ("import", "font", "render")


def child_maxrss(step, persons, qualifications, cost_projects):
    """ru_maxrss (KiB) of a fresh process that goes as far as ``step`` (one of CHILD_STEPS)."""
    command = [sys.executable, os.path.abspath(__file__), "--child", step, "--persons", str(persons),
               "--qualifications", str(qualifications), "--cost-projects", str(cost_projects)]
    # sh forks the child from itself and stays (`; exit`), so the child's exec inherits sh's tiny
    # peak RSS, not this process's
    command = ["/bin/sh", "-c", '"$0" "$@"; exit $?', *command]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300).stdout
    return json.loads(output.strip().splitlines()[-1])


def child(step, persons, qualifications, cost_projects):
    data = registration(persons, qualifications, cost_projects)
    size = 0
    if step in ("font", "render"):
        booklet._font_name()  # parses and registers the CJK font, as the first render would
    if step == "render":
        size = len(render(data))
    print(json.dumps({"ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "vm_hwm_kib": peak_rss_kib(os.getpid()), "pdf_bytes": size}))


def run(persons=500, repeat=5, qualifications=3, cost_projects=20, save=None):
    refuse_monkey_patching()
    full = registration(persons, qualifications, cost_projects)
    baseline = registration(0, qualifications, cost_projects)
    cold_s, pdf = timed(full)
    times = {"full": [], "baseline": []}
    for _ in range(repeat):  # alternate, so drift on a shared machine affects both sides alike
        elapsed, pdf = timed(full)
        times["full"].append(elapsed)
        elapsed, baseline_pdf = timed(baseline)
        times["baseline"].append(elapsed)
    if save:
        with open(save, "wb") as handle:
            handle.write(pdf)

    def case(name, staff, values, document):
        return {"case": name, "persons": staff, "renders": len(values), "min_ms": round(min(values) * 1000, 1),
                "median_ms": round(statistics.median(values) * 1000, 1), "pdf_kib": round(len(document) / 1024, 1),
                "pages": pages(document)}

    cases = [case(f"{persons} staff", persons, times["full"], pdf),
             case("0 staff (baseline)", 0, times["baseline"], baseline_pdf)]
    memory = {
        "tracemalloc_peak_mib": round(tracemalloc_peak(full) / 2 ** 20, 1),
        "tracemalloc_peak_baseline_mib": round(tracemalloc_peak(baseline) / 2 ** 20, 1),
    }
    steps = {step: child_maxrss(step, persons, qualifications, cost_projects) for step in CHILD_STEPS}
    mib = {step: round(value["ru_maxrss_kib"] / 1024, 1) for step, value in steps.items()}
    for step, value in steps.items():
        if abs(value["ru_maxrss_kib"] - value["vm_hwm_kib"]) > 1024:
            raise RuntimeError(f"{step}: ru_maxrss {value['ru_maxrss_kib']} KiB but VmHWM {value['vm_hwm_kib']} KiB: "
                               "the child's ru_maxrss carries another process's peak")
    memory.update({
        "fresh_process_maxrss_mib": mib,
        "font_adds_maxrss_mib": round(mib["font"] - mib["import"], 1),
        "render_adds_maxrss_mib": round(mib["render"] - mib["font"], 1),
    })
    rendered = steps["render"]
    if rendered["pdf_bytes"] != len(pdf):
        raise RuntimeError(f"the fresh process rendered {rendered['pdf_bytes']} bytes, this one {len(pdf)}")
    full_case, base_case = cases
    per_person_ms = (full_case["median_ms"] - base_case["median_ms"]) / persons if persons else None
    return {"persons": persons, "qualifications": qualifications, "cost_projects": cost_projects, "repeat": repeat,
            "cold_ms": round(cold_s * 1000, 1), "cases": cases, "memory": memory,
            "x_baseline_median": ratio(full_case["median_ms"], base_case["median_ms"]),
            "ms_per_person": round(per_person_ms, 3) if per_person_ms is not None else None,
            "font": booklet.booklet_font_path()}


def report(results):
    memory = results["memory"]
    rows = [(c["case"], c["renders"], c["min_ms"], c["median_ms"], c["pages"], c["pdf_kib"]) for c in results["cases"]]
    return "\n".join([
        f"{results['persons']} filed staff, {results['qualifications']} qualifications, "
        f"{results['cost_projects']} cost projects; font {results['font']}",
        table(("case", "renders", "min ms", "median ms", "pages", "PDF KiB"), rows),
        f"cold (first render in the process, font parsed and registered): {results['cold_ms']} ms; "
        f"{results['persons']} staff = {results['x_baseline_median']} x the baseline (median), "
        f"{results['ms_per_person']} ms per staff row",
        f"peak memory of one warm render (tracemalloc): {memory['tracemalloc_peak_mib']} MiB "
        f"(baseline {memory['tracemalloc_peak_baseline_mib']} MiB)",
        "fresh process ru_maxrss: {import} MiB after the imports, {font} MiB with the font registered, "
        "{render} MiB after rendering once".format(**memory["fresh_process_maxrss_mib"])
        + f" (font +{memory['font_adds_maxrss_mib']} MiB, render +{memory['render_adds_maxrss_mib']} MiB)",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=500, help="filed staff (default 500)")
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per case (default 5)")
    parser.add_argument("--qualifications", type=int, default=3, help="qualifications (default 3)")
    parser.add_argument("--cost-projects", type=int, default=20, help="cost projects (default 20)")
    parser.add_argument("--save", metavar="PATH", help="write the last rendered booklet there")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--child", choices=CHILD_STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.persons, args.qualifications, args.cost_projects)
        return
    results = run(args.persons, args.repeat, args.qualifications, args.cost_projects, args.save)
    print(report(results))
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
