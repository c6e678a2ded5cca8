"""Demo content: six complete service guides in the site's 办事服务 column.

Each guide has every required element, written the way real guides are, with
the site's own names in the departments and places. Called per site by the
caller, inside its schema.
"""

import random
from datetime import timedelta

from django.utils import timezone

from columns.models import ColumnPage

from .models import ServiceGuidePage

HOURS = "周一至周五 上午9:00—12:00，下午13:30—17:30（法定节假日除外）"

GUIDES = [
    {
        "item_name": "个体工商户设立登记",
        "department": "市场监督管理局",
        "legal_basis": "<p>《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第三条。</p>",
        "conditions": "<p>有经营能力的自然人；经营场所符合国家有关规定；经营范围不属于法律法规禁止的行业。</p>",
        "materials": "<ol><li>个体工商户登记（备案）申请书 1 份</li><li>经营者身份证件 原件</li>"
                     "<li>经营场所使用证明 复印件 1 份</li></ol>",
        "process": "<ol><li>申请</li><li>受理</li><li>审核</li><li>发照</li></ol>",
        "time_limit": "法定时限15个工作日，承诺时限当场办结（材料齐全、符合法定形式的）",
        "fees": "不收费",
    },
    {
        "item_name": "城乡居民基本养老保险参保登记",
        "department": "人力资源和社会保障局",
        "legal_basis": "<p>《中华人民共和国社会保险法》第二十条；"
                       "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）。</p>",
        "conditions": "<p>年满16周岁（不含在校学生），非国家机关和事业单位工作人员"
                      "及不属于职工基本养老保险制度覆盖范围的城乡居民。</p>",
        "materials": "<ol><li>居民身份证或户口簿 原件</li><li>城乡居民基本养老保险参保登记表 1 份</li></ol>",
        "process": "<ol><li>提交申请</li><li>窗口审核</li><li>录入系统</li><li>办结告知</li></ol>",
        "time_limit": "法定时限5个工作日，承诺时限即办",
        "fees": "不收费",
    },
    {
        "item_name": "最低生活保障申请",
        "department": "民政局",
        "legal_basis": "<p>《社会救助暂行办法》第九条至第十一条。</p>",
        "conditions": "<p>共同生活的家庭成员人均收入低于当地最低生活保障标准，"
                      "且符合当地最低生活保障家庭财产状况规定。</p>",
        "materials": "<ol><li>最低生活保障申请书 1 份</li><li>家庭成员身份证件、户口簿 原件</li>"
                     "<li>家庭经济状况核对授权书 1 份</li></ol>",
        "process": "<ol><li>申请</li><li>受理</li><li>家庭经济状况调查</li><li>审核确认</li><li>公示</li></ol>",
        "time_limit": "法定时限30个工作日，承诺时限20个工作日",
        "fees": "不收费",
    },
    {
        "item_name": "食品经营许可",
        "department": "市场监督管理局",
        "legal_basis": "<p>《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》。</p>",
        "conditions": "<p>具有与经营的食品品种、数量相适应的经营场所和设施设备，"
                      "有专职或兼职的食品安全管理人员和保证食品安全的规章制度。</p>",
        "materials": "<ol><li>食品经营许可申请书 1 份</li><li>营业执照 复印件 1 份</li>"
                     "<li>与食品经营相适应的主要设备设施布局、操作流程等文件 1 份</li>"
                     "<li>食品安全自查、从业人员健康管理等制度 1 份</li></ol>",
        "process": "<ol><li>申请</li><li>受理</li><li>审查（必要时现场核查）</li><li>决定</li><li>发证</li></ol>",
        "time_limit": "法定时限10个工作日，承诺时限5个工作日",
        "fees": "不收费",
    },
    {
        "item_name": "残疾人证办理",
        "department": "残疾人联合会",
        "legal_basis": "<p>《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》。</p>",
        "conditions": "<p>符合《残疾人残疾分类和分级》国家标准的视力、听力、言语、肢体、智力、精神及多重残疾人。</p>",
        "materials": "<ol><li>居民身份证或户口簿 原件</li><li>近期二寸免冠彩色照片 3 张</li>"
                     "<li>残疾评定表 1 份</li></ol>",
        "process": "<ol><li>申请</li><li>残疾评定</li><li>审核</li><li>发证</li></ol>",
        "time_limit": "法定时限30个工作日，承诺时限15个工作日",
        "fees": "不收费（残疾评定费用按当地规定减免）",
    },
    {
        "item_name": "内地居民婚姻登记（结婚登记）",
        "department": "民政局",
        "legal_basis": "<p>《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条至第七条。</p>",
        "conditions": "<p>男女双方完全自愿，达到法定婚龄，均无配偶，且不属于直系血亲或者三代以内旁系血亲。</p>",
        "materials": "<ol><li>本人户口簿、居民身份证 原件</li>"
                     "<li>本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明</li>"
                     "<li>近期半身免冠合影照片 3 张</li></ol>",
        "process": "<ol><li>预约</li><li>当场申请</li><li>审查</li><li>登记颁证</li></ol>",
        "time_limit": "当场办结",
        "fees": "不收费",
    },
]


def department_name(site, department):
    """The department as named at the site's level: 锦江区民政局, 四川省民政厅, 春熙路街道办事处."""
    if site.level == "township":
        return f"{site.name}办事处"
    if site.level == "province" and department.endswith("局"):
        return f"{site.name}{department[:-1]}厅"
    return f"{site.name}{department}"


def add_demo_services(site, *, seed=None):
    """Publish the demo service guides on the current site; returns how many."""
    # Not security-relevant: a stable per-site choice so each demo site looks different.
    rng = random.Random(seed if seed is not None else site.region_code)  # noqa: S311
    column = ColumnPage.objects.get(slug="bsfw")
    for number, guide in enumerate(GUIDES, start=1):
        page = ServiceGuidePage(
            **guide,
            title=f"{guide['item_name']}办事指南",
            slug=f"bsfw-{number}",
            place_and_hours=f"{site.name}政务服务中心 {rng.randint(1, 3)} 楼综合窗口\n{HOURS}",
            phone=f"8{rng.randint(1000000, 9999999)}",
            complaint_phone="12345",
            first_published_at=timezone.now() - timedelta(days=rng.randint(7, 120), hours=rng.randint(0, 8)),
        )
        page.department = department_name(site, guide["department"])
        column.add_child(instance=page)
        page.save_revision().publish()
    return len(GUIDES)
