"""长宁区 and its ten street offices and town, with their statistical division codes."""
from peewee import *

STREETS = [
    ("310105001", "huayang", "华阳路街道"),
    ("310105002", "jiangsu", "江苏路街道"),
    ("310105004", "xinhua", "新华路街道"),
    ("310105005", "zhoujiaqiao", "周家桥街道"),
    ("310105006", "tianshan", "天山路街道"),
    ("310105008", "xianxia", "仙霞新村街道"),
    ("310105009", "hongqiao", "虹桥街道"),
    ("310105010", "chengjiaqiao", "程家桥街道"),
    ("310105011", "beixinjing", "北新泾街道"),
    ("310105102", "xinjing", "新泾镇"),
]


def _frozen(db):
    class District(Model):
        name = CharField(max_length=40)
        code = CharField(unique=True, max_length=6)

        class Meta:
            database = db
            table_name = "district"

    class Street(Model):
        district = ForeignKeyField(District)
        name = CharField(max_length=40)
        slug = CharField(unique=True, max_length=32)
        code = CharField(unique=True, max_length=9)

        class Meta:
            database = db
            table_name = "street"

    return District, Street


def up(migrator, db):
    District, Street = _frozen(db)
    changning = District.create(name="长宁区", code="310105")
    Street.insert_many(
        [{"district": changning, "code": code, "slug": slug, "name": name} for code, slug, name in STREETS]
    ).execute()


def down(migrator, db):
    District, Street = _frozen(db)
    changning = District.get(District.code == "310105")
    Street.delete().where(Street.district == changning).execute()
    changning.delete_instance()
