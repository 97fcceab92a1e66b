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

Through the gateway (issue 14's target: p50 < 1 s, and the rendering process under 150 MiB): a
platform as the end-to-end tests start it; one synthetic construction enterprise logs in, hires its
two managers and files its first filing through the API (``bench_filing.prepare``), then its
registration gets ``--persons`` filed staff written by filing-svc's own repository
(``add_filed_staff``). One client fetches ``GET /api/v1/ent/registrations/construction/booklet.pdf``
once (filing-svc's first render also registers the font), then ``--gateway-requests`` times:
p50/p99, CPU per booklet of every process, and filing-svc's VmHWM from /proc/<pid>/status before
the first booklet, after it and after each of the others (VmHWM covers all of the process's
threads, so the tpool thread that renders too).

    .venv/bin/python bench/bench_booklet.py [--persons 500] [--repeat 5] [--gateway-requests 20] [--save PATH.pdf]
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

from benchlib import (  # noqa: E402
    argument_parser, peak_rss_kib, print_results, process_memory_kib, ratio, refuse_monkey_patching,
    running_platform, summarize, table,
)

from xjkit.clock import SHANGHAI  # noqa: E402
from xjkit.masking import mask_id_card  # noqa: E402
from xjkit.testdata import make_id_card, make_uscc  # noqa: E402

from filing.adapters import booklet  # noqa: E402

BOOKLET_NO = "XJBS-2026-000001"
VERIFY_URL = f"https://xj.example.gov.cn/api/v1/public/booklets/{BOOKLET_NO}"
GENERATED_AT = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
FILING_DATABASE = "xj_filing"  # filing-svc/config.yml's default, which the platform keeps
GATEWAY_P50_TARGET_MS = 1000  # issue 14: through the gateway, 500 filed staff, p50 < 1 s
PEAK_RSS_TARGET_MIB = 150  # and the rendering process's peak memory under 150 MiB
KINDS = ("registered", "special_operation", "safety", "title", "tech_worker", "post")


def id_card(number):
    birth = (datetime.date(1980, 1, 1) + datetime.timedelta(days=number // 1000)).strftime("%Y%m%d")
    return make_id_card(region="510104", birth=birth, seq=f"{number % 1000:03d}")


def filed_staff(persons):
    """``persons`` filed certificates, shaped as a personnel filing stores them in a registration
    (``filing.service_layer.review._certificate_checks``): six kinds in turn, every sixth a 注册证书
    with two specialities."""
    personnel = []
    for number in range(persons):
        kind = KINDS[number % len(KINDS)]
        personnel.append({
            "id": f"cert-{number}", "kind": kind, "person_id": f"person-{number}",
            "person_name": f"基准职工{number:04d}" if number % 5 else f"阿不都热依木·买买提{number:04d}",
            "id_card_masked": mask_id_card(id_card(number)),
            "cert_no": f"川1512019{number:06d}",
            "type": {"registered": "一级造价工程师", "safety": "C", "title": "高级工程师", "tech_worker": "钢筋工",
                     "post": "施工员"}.get(kind, "电工作业"),
            "specialties": ["土木建筑工程", "安装工程"] if kind == "registered" else [],
            "level": None,
            "valid_until": None if kind == "title" else "2027-06-30",
        })
    return personnel


def registration(persons=500, qualifications=3, cost_projects=20):
    """A cost-consulting registration shaped as filing-svc hands it to the renderer."""
    personnel = filed_staff(persons)
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


# through the gateway --------------------------------------------------------------------------

GATEWAY_TYPE = "construction"  # a first filing makes the registration (cost consulting has none)


def add_filed_staff(platform, uscc, enterprise_type, persons):
    """Give the registration ``persons`` filed staff, as an approved personnel filing would leave
    it: the domain's own ``Registration.change_personnel`` (a new booklet number), written by
    filing-svc's own repository (version-checked), without the filing's checks, and with its events
    taken off (nothing to relay: publicity-svc and cert-svc stay idle while the booklet is measured).
    Filing them through the API would first need 500 hires, 500 certificates synced from the
    national stub and the filing itself: minutes of setup, none of which the booklet reads.
    Returns the registration."""
    from filing.adapters.repositories import MongoRegistrationRepository
    from filing.domain.businesses import PERSONNEL_FILING
    from xjkit.mongo.client import connect

    client = connect(f"mongodb://127.0.0.1:{platform.store_port}")
    try:
        repository = MongoRegistrationRepository(client[FILING_DATABASE])
        registration = repository.get(uscc, enterprise_type)
        registration.change_personnel(PERSONNEL_FILING, filed_staff(persons), (), platform.business_now())
        registration.take_events()
        repository.write(registration, (), new=False)
        return repository.get(uscc, enterprise_type)
    finally:
        client.close()


def first_filed_enterprise(platform):
    """One synthetic construction enterprise, logged in with a dev CA certificate, with its two
    managers hired and its first filing approved, all through the gateway. Returns (token, uscc)."""
    import requests
    from bench_employment import _post
    from bench_filing import prepare, synthetic_dataset

    dataset = synthetic_dataset(1)
    [(token, body)] = prepare(platform, dataset)
    case = _post(requests.Session(), f"{platform.url}/api/v1/ent/filings", token, json=body)
    if case["status"] != "approved":
        raise RuntimeError(f"the first filing was not approved: {case['reasons']}")
    return token, dataset["enterprises"][0]["uscc"]


def through_gateway(persons=500, requests_count=20, repeat=5):
    """``GET /api/v1/ent/registrations/construction/booklet.pdf`` of an enterprise with ``persons``
    filed staff, one request at a time: latency, CPU per booklet of each process, and the peak RSS
    (VmHWM) of filing-svc, the process that renders it (in an eventlet tpool thread)."""
    import requests
    from bench_gateway import cpu_of, platform_groups
    from filing.service_layer.views import registration_view

    with running_platform("booklet") as platform:
        token, uscc = first_filed_enterprise(platform)
        stored = add_filed_staff(platform, uscc, GATEWAY_TYPE, persons)
        groups, _ = platform_groups(platform)
        [filing_pid] = groups["filing-svc"]
        url = f"{platform.url}/api/v1/ent/registrations/{GATEWAY_TYPE}/booklet.pdf"
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"

        def fetch():
            begin = time.perf_counter_ns()
            answer = session.get(url, timeout=120)
            elapsed = time.perf_counter_ns() - begin
            answer.raise_for_status()
            if answer.headers["Content-Type"] != "application/pdf" or not answer.content.startswith(b"%PDF"):
                raise RuntimeError(f"not a PDF: {answer.headers['Content-Type']}")
            return elapsed, answer.content

        memory_before = process_memory_kib(filing_pid)
        cold_ns, pdf = fetch()  # filing-svc's first render also parses and registers the font
        memory_after_cold = process_memory_kib(filing_pid)
        before = cpu_of(groups)
        latencies, peaks = [], []
        started = time.perf_counter()
        for _ in range(requests_count):
            elapsed, pdf = fetch()
            latencies.append(elapsed)
            peaks.append(round(peak_rss_kib(filing_pid) / 1024, 1))
        warm = summarize(latencies, time.perf_counter() - started)
        after = cpu_of(groups)
        memory_after = process_memory_kib(filing_pid)
        # the same registration rendered in this process: how much of filing-svc's CPU is the renderer
        data = registration_view(stored, platform.business_now().date())
        render_cpu = []
        for _ in range(repeat):
            begin = time.process_time()
            render(data)
            render_cpu.append(time.process_time() - begin)
    cpu = {name: round((after[name] - before[name]) * 1000 / requests_count, 1) for name in after}
    return {
        "persons": persons, "enterprise_type": GATEWAY_TYPE, "requests": requests_count,
        "qualifications": len(stored.qualifications), "cost_projects": len(stored.cost_projects),
        "cold_ms": round(cold_ns / 1e6, 1), "warm": warm, "pdf_kib": round(len(pdf) / 1024, 1), "pages": pages(pdf),
        "renderer_cpu_ms": round(statistics.median(render_cpu) * 1000, 1), "cpu_ms_per_booklet": cpu,
        "filing_svc_memory_mib": {
            "rss_before": round(memory_before["VmRSS"] / 1024, 1),
            "peak_before": round(memory_before["VmHWM"] / 1024, 1),
            "peak_after_first": round(memory_after_cold["VmHWM"] / 1024, 1),
            "peak_after": round(memory_after["VmHWM"] / 1024, 1),
            "rss_after": round(memory_after["VmRSS"] / 1024, 1),
            "peak_after_each": peaks,
        },
        "targets": {"p50_ms": GATEWAY_P50_TARGET_MS, "peak_rss_mib": PEAK_RSS_TARGET_MIB},
        "p50_met": warm["p50_ms"] < GATEWAY_P50_TARGET_MS,
        "peak_rss_met": memory_after["VmHWM"] / 1024 < PEAK_RSS_TARGET_MIB,
    }


def run(persons=500, repeat=5, qualifications=3, cost_projects=20, save=None, gateway_requests=20):
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
    results = {"persons": persons, "qualifications": qualifications, "cost_projects": cost_projects, "repeat": repeat,
               "cold_ms": round(cold_s * 1000, 1), "cases": cases, "memory": memory,
               "x_baseline_median": ratio(full_case["median_ms"], base_case["median_ms"]),
               "ms_per_person": round(per_person_ms, 3) if per_person_ms is not None else None,
               "font": booklet.booklet_font_path()}
    if gateway_requests:
        results["gateway"] = through_gateway(persons, gateway_requests, repeat)
    return results


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
    ] + (gateway_report(results["gateway"]) if "gateway" in results else []))


def gateway_report(result):
    warm, memory, targets = result["warm"], result["filing_svc_memory_mib"], result["targets"]
    met = {True: "met", False: "MISSED"}
    return [
        "",
        f"through the gateway: GET /api/v1/ent/registrations/{result['enterprise_type']}/booklet.pdf, "
        f"{result['persons']} filed staff, {result['qualifications']} qualifications, "
        f"{result['cost_projects']} cost projects; one request at a time",
        table(("case", "requests", "p50 ms", "p99 ms", "pages", "PDF KiB"), [
            ("first request (filing-svc registers the font)", 1, result["cold_ms"], result["cold_ms"], result["pages"],
             result["pdf_kib"]),
            ("warm", warm["ops"], warm["p50_ms"], warm["p99_ms"], result["pages"], result["pdf_kib"])]),
        f"target p50 < {targets['p50_ms']} ms: {met[result['p50_met']]}",
        f"filing-svc peak RSS (VmHWM of its process, /proc/<pid>/status): {memory['peak_before']} MiB before the "
        f"first booklet (RSS {memory['rss_before']}), {memory['peak_after_first']} MiB after it, {memory['peak_after']} "
        f"MiB after all (RSS {memory['rss_after']}); target < {targets['peak_rss_mib']} MiB: "
        f"{met[result['peak_rss_met']]}",
        "CPU ms per booklet, by process (shared RabbitMQ carries other traffic too): " + ", ".join(
            f"{name} {value}" for name, value in sorted(result["cpu_ms_per_booklet"].items(), key=lambda item: -item[1])),
        f"the same registration rendered in this process: {result['renderer_cpu_ms']} ms of CPU (median); the rest "
        "of filing-svc's is the store read, the base64 and the AMQP reply",
    ]


def main(argv=None):
    parser = argument_parser(__doc__)
    parser.add_argument("--persons", type=int, default=500, help="filed staff (default 500)")
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per case (default 5)")
    parser.add_argument("--qualifications", type=int, default=3, help="qualifications (default 3)")
    parser.add_argument("--cost-projects", type=int, default=20, help="cost projects (default 20)")
    parser.add_argument("--save", metavar="PATH", help="write the last rendered booklet there")
    parser.add_argument("--gateway-requests", type=int, default=20,
                        help="booklets fetched through the gateway of a platform after the first (default 20; "
                             "0: the renderer only, no platform)")
    parser.add_argument("--child", choices=CHILD_STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.persons, args.qualifications, args.cost_projects)
        return
    results = run(args.persons, args.repeat, args.qualifications, args.cost_projects, args.save, args.gateway_requests)
    print_results(results, report, args.json)


if __name__ == "__main__":
    main()
