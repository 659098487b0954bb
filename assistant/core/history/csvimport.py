"""`coach customers import FILE.csv`: a header row with Chinese or English column names; bad rows
reported with their line numbers, good rows imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

import orjson

from assistant.core.errors import InputError
from assistant.core.history.export import excel_unsafe
from assistant.core.textsafe import clean_text

#: Longest cell we import (a note of a few pages); longer is refused with the row's line number.
MAX_CELL_CHARS = 10_000
#: Largest customers file (about a million rows); split a bigger one.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: What the csv module may hold in one field while reading (it raises past its 128 KB default).
_READ_LIMIT = 64 * 1024 * 1024

#: column name (lower case, Chinese or English) → customer field.
HEADERS = {
    "id": "id", "编号": "id", "客户编号": "id",
    "name": "name", "称呼": "name", "姓名": "name", "客户": "name", "客户姓名": "name",
    "segment": "segment", "客群": "segment", "客户类型": "segment", "分类": "segment",
    "asset_tier": "asset_tier", "asset tier": "asset_tier", "资产档位": "asset_tier", "资产": "asset_tier", "资产层级": "asset_tier",
    "phone": "phone", "mobile": "phone", "手机": "phone", "手机号": "phone", "电话": "phone",
    "wechat": "wechat", "微信": "wechat", "微信号": "wechat",
    "allow": "allow", "联系方式": "allow", "可联系": "allow",
    "birthday": "birthday", "生日": "birthday", "出生日期": "birthday",
    "tags": "tags", "标签": "tags",
    "notes": "notes", "备注": "notes",
    "product": "product", "产品": "product", "持有产品": "product",
    "amount": "amount", "金额": "amount",
    "rate": "rate", "利率": "rate", "收益率": "rate",
    "maturity": "maturity", "到期日": "maturity", "到期": "maturity",
}
ALLOW = {"wechat": "wechat", "微信": "wechat", "phone": "phone", "电话": "phone", "sms": "sms", "短信": "sms"}
SPLIT = re.compile(r"[;；,，、|/\s]+")
PHONE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


@dataclass
class ImportResult:
    customers: list[dict] = field(default_factory=list)
    #: `FILE:LINE: 错误：…` lines, one per bad row or unknown column.
    problems: list[str] = field(default_factory=list)
    #: Rows `skip` said were stored as they are (not parsed).
    skipped: int = 0


def _date(value: str) -> str:
    value = value.strip().replace("/", "-").replace(".", "-")
    try:
        parts = [int(p) for p in value.split("-")]
        return date(*parts).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"「{value}」不是日期（应为 YYYY-MM-DD）") from None


def _number(value: str, what: str) -> float:
    try:
        number = float(value.replace(",", "").replace("%", "").replace("万", ""))
    except ValueError:
        raise ValueError(f"{what}「{value}」不是数字") from None
    return number * 10000 if "万" in value else number


def segment_codes(segments: dict[str, str]) -> dict[str, str]:
    """Code and Chinese label (and the label without 客户/客群) → code."""
    table = {}
    for code, label in segments.items():
        for key in (code, label, label.removesuffix("客户"), label.removesuffix("客群")):
            table[key] = code
    return table


def _customer(row: dict[str, str], segments: dict[str, str]) -> dict:
    get = lambda key: (row.get(key) or "").strip()  # noqa: E731 - a local shorthand
    if not get("name"):
        raise ValueError("缺少客户称呼（name/称呼）")
    customer: dict = {"name": get("name")}
    for key in ("id", "asset_tier", "notes"):
        if get(key):
            customer[key] = get(key)
    if get("segment"):
        if segments and get("segment") not in segments:
            raise ValueError(f"客群「{get('segment')}」不认识，可用：{'、'.join(sorted(set(segments.values())))}")
        customer["segment"] = segments.get(get("segment"), get("segment"))
    if get("birthday"):
        customer["birthday"] = _date(get("birthday"))
    customer["tags"] = [t for t in SPLIT.split(get("tags")) if t]
    customer["contact"] = _contact(get)
    customer["products"] = _products(get)
    return customer


def _contact(get) -> dict:
    contact: dict = {}
    phone = re.sub(r"[\s-]", "", get("phone"))
    if phone:
        if not PHONE.match(phone):
            raise ValueError(f"手机号「{get('phone')}」不对（应为 11 位）")
        contact["phone"] = phone
    if get("wechat"):
        contact["wechat"] = get("wechat")
    allow = [ALLOW.get(a.lower()) for a in SPLIT.split(get("allow")) if a]
    if None in allow:
        raise ValueError(f"联系方式「{get('allow')}」只能是 微信/电话/短信")
    contact["allow"] = allow or [k for k in ("wechat", "phone") if contact.get(k)]
    return contact


def _products(get) -> list[dict]:
    if not get("product"):
        if get("amount") or get("maturity"):
            raise ValueError("填了金额或到期日，但没有产品名称")
        return []
    product: dict = {"name": get("product")}
    if get("amount"):
        product["amount"] = _number(get("amount"), "金额")
    if get("rate"):
        product["rate"] = _number(get("rate"), "利率")
    if get("maturity"):
        product["maturity"] = _date(get("maturity"))
    return [product]


def parse_customers_csv(path: Path, segments: dict[str, str] | None = None,
                        skip: Callable[[str], bool] | None = None) -> ImportResult:
    """Every customer of a customers CSV at once (see `CustomersCsv`, which reads row by row)."""
    reader = CustomersCsv(path, segments, skip)
    customers = list(reader)
    return ImportResult(customers, reader.problems, reader.skipped)


class CustomersCsv:
    """A customers CSV (UTF-8, with or without BOM; GBK as a fallback from Excel), read row by
    row: iterate for the customers, then `problems` and `skipped` say what else was found. The
    header is checked when it is opened (a file without a name column is an InputError then).

    With `skip`, each row's digest (of its raw cells, the header and the segments: the same
    digest means the same customer would be parsed) is asked first; a row it accepts is counted
    in `skipped` and never parsed (a re-import of 100k rows parses only the changed ones), and
    each parsed customer carries its digest as `_src`."""

    def __init__(self, path: Path, segments: dict[str, str] | None = None,
                 skip: Callable[[str], bool] | None = None):
        self.path, self.skip = path, skip
        raw = _read(path)
        self._rows = csv_records(_decode(raw, path), path)
        del raw
        #: `FILE:LINE: 错误：…` / `提醒：…` lines, one per bad row or unknown column.
        self.problems: list[str] = []
        #: Rows `skip` said were stored as they are (not parsed).
        self.skipped = 0
        self.table = segment_codes(segments or {})
        header = next(self._rows, None)
        if not header:
            raise InputError(f"{path}:1: 错误：文件是空的，第一行应为表头（如 称呼,客群,手机,生日,产品,金额,到期日）")
        header_cells = [clean_text(c) for c in header[1]]
        result = ImportResult()
        self.columns = _columns(header_cells, path, result)
        self.problems += result.problems
        self.seed = hashlib.blake2b(orjson.dumps([header_cells, sorted(self.table.items())]), digest_size=16)

    def __iter__(self) -> Iterator[dict]:
        for line, cells in self._rows:
            if not any(c.strip() for c in cells):
                continue
            digest = None
            if self.skip is not None:
                h = self.seed.copy()
                h.update("\x1f".join(cells).encode("utf-8", "surrogatepass"))
                digest = h.hexdigest()
                if self.skip(digest):
                    self.skipped += 1
                    continue
            cells = [excel_unsafe(clean_text(c)) for c in cells]  # a file we exported reads back as it was
            row = {self.columns[i]: v for i, v in enumerate(cells) if i < len(self.columns) and self.columns[i]}
            try:
                _check_sizes(row)
                customer = {**_customer(row, self.table), "_line": line}
            except ValueError as exc:
                self.problems.append(f"{self.path}:{line}: 错误：{exc}，这一行没有导入")
                continue
            if digest is not None:
                customer["_src"] = digest
            yield customer


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: 错误：文件有 {size // (1024 * 1024)} MB，最多 {MAX_FILE_BYTES // (1024 * 1024)} MB。"
                             "请拆成几个文件分别导入。")
        return path.read_bytes()
    except OSError as exc:
        from assistant.core.platform import describe_os_error

        raise InputError(describe_os_error(exc)) from None


def csv_records(text: str, path: Path):
    """(line number, cells as read) for each record of the CSV; a record the csv module cannot
    read is an InputError naming its line (cells up to _READ_LIMIT are read, callers bound them)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, _READ_LIMIT))
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{path}:{reader.line_num}: 错误：这一行读不了（{exc}），整个文件都没有导入。"
                                 "请检查引号是否成对、单元格是否过长。") from None
            yield reader.line_num, cells  # cleaned by the caller, after the skip check
    finally:
        csv.field_size_limit(old)


def _check_sizes(row: dict[str, str]) -> None:
    for key, value in row.items():
        if len(value) > MAX_CELL_CHARS:
            raise ValueError(f"「{EXPORT_COLUMNS.get(key, key)}」这一格有 {len(value)} 个字，最多 {MAX_CELL_CHARS} 个")


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: 错误：文件编码无法识别，请另存为 UTF-8 的 CSV")


def _columns(header: list[str], path: Path, result: ImportResult) -> list[str | None]:
    columns = [HEADERS.get(h.strip().lower()) for h in header]
    for name, column in zip(header, columns):
        if column is None and name.strip():
            result.problems.append(f"{path}:1: 提醒：不认识的列「{name.strip()}」，已忽略")
    if "name" not in columns:
        raise InputError(f"{path}:1: 错误：表头里没有客户称呼这一列（name / 称呼 / 姓名）")
    return columns


#: The columns of a customers CSV written for people: what import reads back, in Chinese.
EXPORT_COLUMNS = {"id": "编号", "name": "称呼", "segment": "客群", "asset_tier": "资产档位", "phone": "手机",
                  "wechat": "微信", "allow": "联系方式", "birthday": "生日", "tags": "标签", "notes": "备注",
                  "product": "产品", "amount": "金额", "rate": "利率", "maturity": "到期日"}
_ALLOW_LABELS = {"wechat": "微信", "phone": "电话", "sms": "短信"}


def write_customers_csv(customers: Iterable[dict], out, segment_label: Callable[[str], str] = str) -> int:
    """Customers as CSV for people (one row per product held; Chinese header, cells safe for
    Excel), streamed; returns the number of rows. Import reads the file back."""
    from assistant.core.history.export import SafeDictWriter

    writer = SafeDictWriter(out, fieldnames=list(EXPORT_COLUMNS.values()))
    writer.writeheader()
    count = 0
    for c in customers:
        contact = c.get("contact") or {}
        base = {"id": c.get("id"), "name": c.get("name"), "asset_tier": c.get("asset_tier"),
                "segment": segment_label(c["segment"]) if c.get("segment") else "",
                "phone": contact.get("phone"), "wechat": contact.get("wechat"),
                "allow": "、".join(_ALLOW_LABELS.get(a, a) for a in contact.get("allow") or ()),
                "birthday": c.get("birthday"), "tags": "、".join(c.get("tags") or ()), "notes": c.get("notes")}
        for product in c.get("products") or [{}]:
            row = {**base, "product": product.get("name"), "amount": product.get("amount"),
                   "rate": product.get("rate"), "maturity": product.get("maturity")}
            writer.writerow({EXPORT_COLUMNS[k]: "" if v is None else v for k, v in row.items()})
            count += 1
    return count
