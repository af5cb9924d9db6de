"""Places: districts and their street offices (街道, 镇)."""
from peewee import CharField, ForeignKeyField

from models.base import BaseModel


class District(BaseModel):
    name = CharField(max_length=40)
    #: Statistical division code, six digits (长宁区 = 310105).
    code = CharField(max_length=6, unique=True)

    def __str__(self):
        return self.name


class Street(BaseModel):
    district = ForeignKeyField(District, backref="streets", on_delete="RESTRICT")
    name = CharField(max_length=40)
    #: Short ASCII name used in URLs: /streets/xinhua/.
    slug = CharField(max_length=32, unique=True)
    #: Statistical division code, nine digits (310105004 新华路街道).
    code = CharField(max_length=9, unique=True)

    class Meta:
        order_by = ("code",)

    def __str__(self):
        return self.name
