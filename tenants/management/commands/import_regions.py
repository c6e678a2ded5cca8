"""Import regions from a CSV file as sites (idempotent). A thin wrapper around tenants.actions.import_rows."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tenants import actions, audit, regions


class Command(BaseCommand):
    help = "从 CSV（region_code,name,level,parent_code）导入区划并开设站点；可重复运行，已存在的不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件路径（UTF-8 或 GBK）")
        parser.add_argument("--credentials", help="把新站点的管理员账号和初始密码追加写入此 CSV 文件")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
        try:
            rows = regions.parse(regions.decode(data))
        except regions.RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        summary = actions.import_rows(
            rows, acting_user=None, source=audit.cli_source(),
            progress=lambda total: tqdm(total=total, desc="导入区划", unit="站"),
        )
        report(self, summary, options.get("credentials"))
        if summary.errors and not summary.created and not summary.existing:
            raise CommandError("没有任何一行导入成功")


def report(command, summary, credentials_path=None):
    for line, code, message in summary.errors:
        command.stderr.write(f"第 {line} 行（{code or '无代码'}）：{message}")
    if credentials_path and summary.created:
        write_credentials(
            credentials_path,
            [(r.site.display_name, r.site.region_code, r.admin_url, r.admin_username, r.admin_password)
             for r in summary.created],
        )
    command.stdout.write(
        command.style.SUCCESS(
            f"新建 {len(summary.created)} 个站点，已存在 {len(summary.existing)} 个，出错 {len(summary.errors)} 行。"
        )
    )


def write_credentials(path, rows):
    """Append (site, region_code, admin_url, username, password) rows to a CSV readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with path.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(["site", "region_code", "admin_url", "username", "password"])
        writer.writerows(rows)
    path.chmod(0o600)
