"""`coach customers import FILE.csv` and `coach customers list [--json]`."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="customers_command")
    imp = sub.add_parser("import", help="从 CSV 导入客户（表头可用中文或英文）")
    imp.add_argument("file", metavar="文件", help="CSV：称呼,客群,资产档位,手机,微信,联系方式,生日,标签,备注,产品,金额,利率,到期日")
    lst = sub.add_parser("list", help="列出客户")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.add_argument("--out", help="另存为 CSV 文件（中文表头，Excel 可直接打开，可再导入）")


def run(args: argparse.Namespace) -> int:
    from assistant.core.history import History

    history = History()
    if args.customers_command == "import":
        return _import(history, args)
    if getattr(args, "out", None):
        return _write_csv(history, args.out)
    return _list(history, getattr(args, "json", False))


def _write_csv(history, path: str) -> int:
    from assistant.core.history.csvimport import write_customers_csv
    from assistant.core.history.export import write_export_file

    label = _segment_labels()
    count = write_export_file(path, lambda out: write_customers_csv(history.iter_customers(), out, label), bom=True)
    print(f"已导出 {count} 行到 {path}（含手机号等个人信息，请妥善保管）")
    return 0


def _segments() -> dict[str, str]:
    from assistant.commands import load_library

    taxonomy = load_library().taxonomy
    return dict(taxonomy.segments) if taxonomy else {}


def _import(history, args) -> int:
    from pathlib import Path

    from assistant.commands import input_file
    from assistant.core.history.csvimport import CustomersCsv

    input_file(args.file, "客户名单 CSV 文件")
    memo = _ImportMemo(history)
    reader = CustomersCsv(Path(args.file), _segments(), skip=memo.unchanged)
    new = updated = same = 0
    with history.state.batch():  # one lock, one batch in the log (streamed), one fsync at the end
        for chunk in _chunks(reader, CHUNK_ROWS):  # a chunk of parsed rows in memory, not the file
            added = []
            for customer in chunk:
                customer.pop("_line", None)
                src = customer.pop("_src", None)
                found = memo.find(customer["name"], customer["contact"].get("phone"))
                if found is None:
                    added.append((src, customer))
                elif any(found.get(k) != v for k, v in customer.items()):  # unchanged rows cost nothing
                    history.update_customer(found["id"], **customer)
                    memo.remember(src, found)
                    updated += 1
                else:
                    memo.remember(src, found)
                    same += 1
            for (src, _), stored in zip(added, history.add_customers([c for _, c in added])):
                memo.remember(src, stored)
            new += len(added)
    memo.save()
    for problem in reader.problems:
        print(problem)
    bad = sum("错误" in p for p in reader.problems)
    print(f"导入完成：新增 {new} 位客户，更新 {updated} 位，{same + reader.skipped} 位没有变化，{bad} 行有错未导入。")
    return 1 if bad else 0


#: Rows parsed and written at a time in an import (the rest of the file waits as CSV text).
CHUNK_ROWS = 2000


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _ImportMemo:
    """What the last imports stored, so a re-import parses only the rows that changed.

    A file in the cache folder (rebuilt when lost): CSV row digest → (customer id, digest of that
    customer's stored bytes), and (name, phone) digest → customer id. A row is skipped only when
    the customer it made is still stored byte for byte as it was then (an edit since, by staff or
    another import, makes the row count as changed and compared as before).
    """

    def __init__(self, history):
        import orjson

        self.history = history
        self.path = history.paths.cache_dir / "customers-import.json"
        #: (row digest, customer id, name, phone) of the rows this import stored or found.
        self.later: list[tuple[str | None, str, str | None, str | None]] = []
        self._by_key: dict | None = None
        try:
            memo = orjson.loads(self.path.read_bytes())
            self.rows, self.keys = dict(memo["rows"]), dict(memo["keys"])
        except (OSError, ValueError, KeyError, TypeError):
            self.rows, self.keys = {}, {}

    def _stored(self, ident: str) -> bytes | None:
        found = self.history.state._raw("customers", ident)
        return found[1] if found else None

    def unchanged(self, digest: str) -> bool:
        hit = self.rows.get(digest)
        if not hit:
            return False
        raw = self._stored(hit[0])
        return raw is not None and _digest(raw) == hit[1]

    def find(self, name: str, phone: str | None) -> dict | None:
        """The stored customer with this name and phone: through the memo, else one pass over all."""
        ident = self.keys.get(_digest(orjson_key(name, phone)))
        customer = self.history.state.get("customers", ident) if ident else None
        if customer and (customer.get("name"), (customer.get("contact") or {}).get("phone")) == (name, phone):
            return customer
        if self._by_key is None:  # a new row (or a lost memo): every customer's name and phone, once
            self._by_key = {(c.get("name"), (c.get("contact") or {}).get("phone")): c["id"]
                            for c in self.history.state.iter("customers")}
        ident = self._by_key.get((name, phone))
        return self.history.state.get("customers", ident) if ident else None

    def remember(self, src: str | None, customer: dict) -> None:
        phone = (customer.get("contact") or {}).get("phone")
        self.later.append((src, customer["id"], customer.get("name"), phone))
        if self._by_key is not None:  # two rows for one new customer: the second updates the first
            self._by_key[(customer.get("name"), phone)] = customer["id"]

    def save(self) -> None:
        import orjson

        from assistant.core.history.files import atomic_write

        for src, ident, name, phone in self.later:
            raw = self._stored(ident)
            if raw is None:
                continue
            if src:
                self.rows[src] = [ident, _digest(raw)]
            self.keys[_digest(orjson_key(name, phone))] = ident
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, orjson.dumps({"rows": self.rows, "keys": self.keys}))
        except OSError:
            pass  # only a cache: the next import compares every row


def orjson_key(name, phone) -> bytes:
    import orjson

    return orjson.dumps([name, phone])


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _list(history, as_json: bool) -> int:
    """One customer a line (or one JSON object at a time), printed a few hundred at a time:
    100k customers are never one string in memory."""
    customers = history.iter_customers()
    if as_json:
        import orjson

        # each object as it looks inside a list indented by 2, as json.dumps(list, indent=2) wrote
        parts = (orjson.dumps([c], option=orjson.OPT_INDENT_2).decode()[2:-2] for c in customers)
        empty = _print_joined(parts, ",\n", head="[\n")
        print("[]" if empty else "\n]")
        return 0
    label = _segment_labels()
    empty = _print_joined((_line(c, label) for c in customers), "\n", end="\n")
    if empty:
        print("还没有客户。用 `coach customers import 客户.csv` 导入，或运行 `coach demo` 看演示数据。")
    return 0


def _line(c: dict, label) -> str:
    products = "、".join(f"{p.get('name')}（{p.get('maturity', '')}到期）" if p.get("maturity") else p.get("name", "")
                        for p in c.get("products") or ())
    segment = label(c["segment"]) if c.get("segment") else ""
    return f"{c['id']:>12}  {c['name']}  {segment}  {c.get('asset_tier') or ''}  {products}"


def _print_joined(parts, sep: str, head: str = "", end: str = "", every: int = 500) -> bool:
    """Print `parts` joined by `sep` (after `head`, then `end`), `every` at a time; True when none."""
    chunk: list[str] = []
    printed = False
    for part in parts:
        chunk.append(part)
        if len(chunk) >= every:
            print((sep if printed else head) + sep.join(chunk), end="")
            printed, chunk = True, []
    if chunk:
        print((sep if printed else head) + sep.join(chunk), end="")
        printed = True
    if printed:
        print(end, end="")
    return not printed


def _segment_labels():
    """code → 老年客户 …, from the playbooks; the bare code when they cannot be read."""
    from assistant.core.errors import CoachError
    from assistant.commands import load_library

    try:
        library = load_library()
    except CoachError:
        return lambda code: code
    return lambda code: library.segment_label(code) or code
