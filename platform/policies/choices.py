"""The fixed vocabularies of policy documents and interpretations."""

from django.db import models


class Topic(models.TextChoices):
    """主题分类 of the national government-information-disclosure catalogue."""

    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND_ENERGY = "land_energy", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY_TRANSPORT = "industry_transport", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET_SAFETY = "market_safety", "市场监管、安全生产监管"
    CONSTRUCTION_ENVIRONMENT = "construction_environment", "城乡建设、环境保护"
    SCIENCE_EDUCATION = "science_education", "科技、教育"
    CULTURE_MEDIA = "culture_media", "文化、广电、新闻出版"
    HEALTH_SPORTS = "health_sports", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    PUBLIC_SECURITY = "public_security", "公安、安全、司法"
    CIVIL_AFFAIRS = "civil_affairs", "民政、扶贫、救灾"
    ETHNIC_RELIGION = "ethnic_religion", "民族、宗教"
    FOREIGN_AFFAIRS = "foreign_affairs", "对外事务"
    HMT_OVERSEAS = "hmt_overseas", "港澳台侨工作"
    DEFENCE = "defence", "国防"
    OTHER = "other", "其他"


class DocumentKind(models.TextChoices):
    """What the annual disclosure report's 主动公开 table counts a document as (条例 Art. 20 (1))."""

    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他文件"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    AMENDED = "amended", "已修订"
    REPEALED = "repealed", "已废止"


# What happened to a document that is no longer in force, as the notice says it.
VALIDITY_VERBS = {Validity.AMENDED: "修订", Validity.REPEALED: "废止"}


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图文解读"
    VIDEO = "video", "视频解读"
