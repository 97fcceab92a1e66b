"""Which events become a notice in a person's inbox, and what the notice says.

The payload fields each event must carry are listed in docs/events.md. An event without a
``person_id`` is not for an inbox.
"""


def _thing(text):
    # WeChat's "thing" template values hold at most 20 characters
    text = str(text or "")
    return text if len(text) <= 20 else text[:19] + "…"


def _employment(payload, kind, title, body):
    return {
        "person_id": payload["person_id"], "kind": kind, "title": title, "body": body,
        "target_id": payload.get("employment_id"),
        "page": f"pages/employments/detail?id={payload.get('employment_id')}",
        "wechat": {"thing1": {"value": _thing(payload.get("enterprise_name"))},
                   "thing2": {"value": _thing(title)},
                   "date3": {"value": str(payload.get("contract_start") or payload.get("decided_on") or "")}},
    }


def _offered(p):
    return _employment(p, "employment_offer", "聘用邀请",
                       f"{p.get('enterprise_name')}邀请您入职，合同期{p.get('contract_start')}至{p.get('contract_end')}，"
                       "请在小程序中人脸核身后确认或拒绝。")


def _cancelled(p):
    return _employment(p, "employment_cancelled", "聘用邀请已撤回", f"{p.get('enterprise_name')}撤回了对您的聘用邀请。")


def _withdrawn(p):
    return _employment(p, "employment_withdrawn", "聘用邀请已失效",
                       f"您已接受其他企业的聘用，{p.get('enterprise_name')}的聘用邀请自动失效。")


def _terminated(p):
    return _employment(p, "employment_terminated", "聘用关系已解除", f"您与{p.get('enterprise_name')}的聘用关系已解除。")


def _expired(p):
    return _employment(p, "employment_expired", "劳动合同已到期",
                       f"您与{p.get('enterprise_name')}的劳动合同已于{p.get('contract_end')}到期，聘用关系结束。")


def _title(kind, title, verb):
    def build(p):
        return {
            "person_id": p["person_id"], "kind": kind, "title": title,
            "body": f"您的职称证书（{p.get('cert_name')}，证书编号{p.get('cert_no')}）{verb}。",
            "target_id": p.get("certificate_id"), "page": "pages/certificates/index",
            "wechat": {"thing1": {"value": _thing(p.get("enterprise_name"))}, "thing2": {"value": _thing(title)}},
        }
    return build


NOTICE_BUILDERS = {
    "employment.offered": _offered,
    "employment.cancelled": _cancelled,
    "employment.withdrawn": _withdrawn,
    "employment.terminated": _terminated,
    "employment.expired": _expired,
    "cert.title_confirmed": _title("title_confirmed", "职称证书已确认", "已由单位确认"),
    "cert.title_revoked": _title("title_revoked", "职称证书已撤销", "已被单位撤销，如需变更请重新登记"),
}


def notice_from_event(event):
    build = NOTICE_BUILDERS.get(event.type)
    if build is None or not event.payload.get("person_id"):
        return None
    return {"event_id": event.event_id, **build(event.payload)}
