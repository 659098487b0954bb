# Sourced by scripts/run and scripts/test: make .venv exist and hold the project.
# Says each step on stderr while it works (the first run installs for a minute or two).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
say() { printf '[coach] %s\n' "$*" >&2; }
if [ ! -x .venv/bin/python ]; then
  say "第一次运行：用 $py 创建 Python 环境 .venv …"
  "$py" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-$1
if [ ! -f "$stamp" ]; then
  say "更新 pip …"
  .venv/bin/python -m pip install --upgrade pip --progress-bar on 2>&1 | sed -u '/^Requirement already satisfied/d' >&2 || true
  say "安装 coach 和它用到的库（.[$1]，第一次约需一两分钟，下面是 pip 的进度）…"
  .venv/bin/python -m pip install --progress-bar on -e ".[$1]" 2>&1 \
    | sed -u '/^Requirement already satisfied/d' >&2
  touch "$stamp"
  say "安装完成。"
fi
