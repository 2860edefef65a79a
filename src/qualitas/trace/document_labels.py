"""Labels of the traceability documents in English and Simplified Chinese, and the choice of
language for a request (``?lang=`` first, then ``Accept-Language``)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "zh-CN"]
LANGS: tuple[Lang, ...] = ("en", "zh-CN")

LABELS: dict[str, tuple[str, str]] = {
    "dhr": ("Device history record", "器械历史记录"),
    "identity": ("Identity", "标识"),
    "key": ("Identifier", "标识符"),
    "product": ("Product", "产品"),
    "item_code": ("Item code", "物料编码"),
    "gtin": ("GTIN", "GTIN"),
    "lot": ("Lot", "批次"),
    "serial": ("Serial number", "序列号"),
    "site": ("Site", "工厂"),
    "made_at": ("Made at", "生产时间"),
    "status": ("Status", "状态"),
    "kind": ("Kind", "类型"),
    "genealogy": ("Genealogy: components and supplier lots", "谱系：组件与供应商批次"),
    "components": ("Components", "组件"),
    "depth": ("Level", "层级"),
    "quantity": ("Quantity", "数量"),
    "supplier": ("Supplier", "供应商"),
    "supplier_lot": ("Supplier lot", "供应商批次"),
    "events": ("Events", "事件"),
    "steps": ("Production steps", "生产步骤"),
    "time": ("Time", "时间"),
    "step": ("Step", "步骤"),
    "station": ("Station", "工位"),
    "operator": ("Operator", "操作员"),
    "work_order": ("Work order", "工单"),
    "objects": ("Material", "物料"),
    "parameters": ("Process parameters", "过程参数"),
    "characteristic": ("Characteristic", "特性"),
    "value": ("Value", "测量值"),
    "spec": ("Specification", "规格"),
    "gauge": ("Gauge", "量具"),
    "in_spec": ("In spec", "合格"),
    "out_of_spec": ("Out of spec", "超差"),
    "inspections": ("Inspection results", "检验结果"),
    "inspection_lot": ("Inspection lot", "检验批"),
    "decision": ("Decision", "判定"),
    "decided_by": ("Decided by", "判定人"),
    "results": ("Results", "结果"),
    "recorded_by": ("Recorded by", "记录人"),
    "pass": ("Pass", "合格"),
    "fail": ("Fail", "不合格"),
    "instruments": ("Equipment and gauges used", "使用的设备与量具"),
    "equipment": ("Equipment", "设备"),
    "used": ("Used", "使用时间"),
    "uses": ("Uses", "使用次数"),
    "calibrated_on": ("Calibrated on", "校准日期"),
    "due_on": ("Due on", "校准到期"),
    "calibration": ("Calibration at use", "使用时校准状态"),
    "nonconformances": ("Nonconformances", "不合格项"),
    "subject": ("Subject", "对象"),
    "detail": ("Detail", "说明"),
    "customers": ("Shipped to", "发货去向"),
    "customer": ("Customer", "客户"),
    "shipped_at": ("Shipped at", "发货时间"),
    "none": ("None recorded", "无记录"),
    "generated": ("Generated", "生成时间"),
    "page": ("Page", "页"),
    "scan": ("Public product page", "产品公开页面"),
    "more": ("more", "更多"),
    # states and kinds
    "cal.in_calibration": ("In calibration", "校准有效"),
    "cal.overdue": ("Overdue", "校准过期"),
    "cal.unknown": ("Not on file", "无记录"),
    "cal.not_applicable": ("Not applicable", "不适用"),
    "nc.inspection_rejected": ("Inspection lot rejected", "检验批拒收"),
    "nc.spc_alarm": ("SPC alarm", "SPC 报警"),
    "nc.hold": ("Hold", "冻结"),
    "hold.none": ("No recall or hold", "无召回或冻结"),
    "hold.recalled": ("Recalled", "已召回"),
    "hold.non_conformant": ("Non-conformant", "不合格"),
    "hold.expired": ("Expired", "已过期"),
    "hold.damaged": ("Damaged", "已损坏"),
    "hold.other": ("On hold", "已冻结"),
    "state.released": ("Released", "已解除"),
    "state.raised": ("Raised", "已触发"),
    "state.acknowledged": ("Acknowledged", "已确认"),
    "state.resolved": ("Resolved", "已解决"),
    "decision.accept": ("Accepted", "接收"),
    "decision.reject": ("Rejected", "拒收"),
    "decision.conditional": ("Conditional", "让步接收"),
    "decision.none": ("Pending", "待判定"),
    "kind.lot": ("Lot", "批次"),
    "kind.unit": ("Unit", "单件"),
    "kind.container": ("Container", "容器"),
    "kind.location": ("Location", "地点"),
    "kind.customer": ("Customer", "客户"),
    "step.receiving": ("Receiving", "收货"),
    "step.relabelling": ("Supplier lot mapped", "供应商批次映射"),
    "step.assembling": ("Issued to work order", "投料"),
    "step.commissioning": ("Output", "产出"),
    "step.repackaging": ("Split / merge", "拆分 / 合并"),
    "step.repairing": ("Rework", "返工"),
    "step.packing": ("Packing", "包装"),
    "step.unpacking": ("Unpacking", "拆包"),
    "step.shipping": ("Shipping", "发货"),
    "step.holding": ("Hold", "冻结"),
    "step.inspecting": ("Inspection", "检验"),
    "step.destroying": ("Scrapped", "报废"),
    # public page
    "public_title": ("Product information", "产品信息"),
    "not_found": ("Not found", "未找到"),
    "not_found_text": ("This code is not known.", "未找到此代码对应的产品。"),
    # recall report
    "recall_report": ("Recall report", "召回报告"),
    "drill_report": ("Mock recall (drill) report", "模拟召回（演练）报告"),
    "code": ("Code", "编号"),
    "title": ("Title", "标题"),
    "type": ("Type", "类型"),
    "drill": ("Drill", "演练"),
    "real": ("Real recall", "真实召回"),
    "created_by": ("Created by", "创建人"),
    "created_at": ("Created", "创建时间"),
    "scoped_at": ("Scoped", "范围确定时间"),
    "closed_at": ("Closed", "关闭时间"),
    "answer_ms": ("Time to answer (ms)", "响应时间（毫秒）"),
    "suspects": ("Suspect set", "可疑范围"),
    "counts": ("Affected, by kind", "受影响数量（按类型）"),
    "count": ("Count", "数量"),
    "affected": ("Affected", "受影响对象"),
    "quantities": ("Quantities per product", "各产品数量"),
    "uom": ("Unit of measure", "计量单位"),
    "holds_placed": ("Holds placed", "已冻结数"),
    "mass_balance": ("Mass balance", "物料平衡"),
    "balance_rule": (
        "received = consumed + shipped + transferred + scrapped + on hand",
        "接收 = 消耗 + 发货 + 转移 + 报废 + 在库",
    ),
    "received": ("Received", "接收"),
    "consumed": ("Consumed", "消耗"),
    "shipped": ("Shipped", "发货"),
    "transferred": ("Transferred", "转移"),
    "scrapped": ("Scrapped", "报废"),
    "on_hand": ("On hand", "在库"),
    "on_hand_source": ("On hand from", "在库来源"),
    "difference": ("Difference", "差异"),
    "src.counted": ("stock count", "盘点"),
    "src.computed": ("computed", "计算"),
    "not_scoped": ("Not scoped yet", "尚未确定范围"),
    "shown": ("shown", "已显示"),
    "suspect": ("Suspect", "可疑"),
    "sf.kind": ("Kind", "类型"),
    "sf.ids": ("Lots or serials", "批次或序列号"),
    "sf.site": ("Site", "工厂"),
    "sf.supplier": ("Supplier", "供应商"),
    "sf.supplier_lot": ("Supplier lot", "供应商批次"),
    "sf.item": ("Item", "物料"),
    "sf.station": ("Station", "工位"),
    "sf.equipment": ("Equipment", "设备"),
    "sf.gauge": ("Gauge", "量具"),
    "sf.since": ("From", "起始时间"),
    "sf.until": ("Until", "截止时间"),
    "sk.lots": ("Named lots or serials", "指定批次或序列号"),
    "sk.supplier_lot": ("A supplier lot", "供应商批次"),
    "sk.station_window": ("What a station made in a time window", "工位在时间窗口内的产出"),
    "sk.equipment": ("What a piece of equipment worked on", "设备加工过的产品"),
    "sk.gauge": ("What a gauge out of tolerance measured", "超差量具测量过的产品"),
    "recall.draft": ("Draft", "草稿"),
    "recall.scoped": ("Scoped", "已确定范围"),
    "recall.held": ("On hold", "已冻结"),
    "recall.closed": ("Closed", "已关闭"),
}


def labels(lang: Lang) -> dict[str, str]:
    """Every label in one language."""
    index = LANGS.index(lang)
    return {k: v[index] for k, v in LABELS.items()}


def both(key: str) -> str:
    """``English / 中文`` for places that show both languages (workbook headers)."""
    en, zh = LABELS[key]
    return en if en == zh else f"{en} / {zh}"


def pick_lang(requested: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` when valid, else the first English or Chinese language the client accepts."""
    if requested in LANGS:
        return requested
    ranked: list[tuple[float, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, f"{i:04d}{tag.strip().lower()}"))
    for _, tag in sorted(ranked):
        if tag[4:].startswith("zh"):
            return "zh-CN"
        if tag[4:].startswith("en"):
            return "en"
    return "en"
