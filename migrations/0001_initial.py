"""Districts, streets, accounts, organizations, memberships, invites and the audit log."""
from peewee import *


# Python-side defaults (timestamps, tokens) live in models.py; the columns need none.
def up(migrator, db):
    class District(Model):
        name = CharField(max_length=40)
        code = CharField(unique=True, max_length=6)
        class Meta:
            database = db
            table_name = 'district'
    db.create_tables([District])

    class Street(Model):
        district = ForeignKeyField(District, on_delete='RESTRICT')
        name = CharField(max_length=40)
        slug = CharField(unique=True, max_length=32)
        code = CharField(unique=True, max_length=9)
        class Meta:
            database = db
            table_name = 'street'
    db.create_tables([Street])

    class User(Model):
        name = CharField(max_length=40)
        phone = CharField(unique=True, max_length=11)
        password_hash = CharField()
        role = CharField(index=True, max_length=20, default='member')
        street = ForeignKeyField(Street, null=True, on_delete='RESTRICT')
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class AuditLog(Model):
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        action = CharField(index=True, max_length=50)
        target_type = CharField(max_length=30)
        target_id = IntegerField(null=True)
        street = ForeignKeyField(Street, null=True, on_delete='SET NULL')
        detail = TextField(default='')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'audit_log'
    db.create_tables([AuditLog])

    class Organization(Model):
        name = CharField(max_length=100)
        kind = CharField(max_length=20)
        credit_code = CharField(unique=True, null=True, max_length=18)
        street = ForeignKeyField(Street, on_delete='RESTRICT')
        service_fields = CharField(max_length=200, default='')
        party_org = CharField(max_length=20, default='none')
        contact_name = CharField(max_length=40)
        contact_phone = CharField(max_length=11)
        grade = CharField(null=True, max_length=2)
        status = CharField(index=True, max_length=20, default='pending')
        decline_reason = TextField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        reviewed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reviewed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'organization'
    db.create_tables([Organization])

    class Invite(Model):
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        token = CharField(unique=True, max_length=64)
        created_by = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        expires_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'invite'
    db.create_tables([Invite])

    class Membership(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        role = CharField(max_length=20, default='volunteer')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'membership'
            indexes = ((('user', 'organization'), True),)
    db.create_tables([Membership])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('membership'))
    migrator.migrate(migrator.drop_table('invite'))
    migrator.migrate(migrator.drop_table('organization'))
    migrator.migrate(migrator.drop_table('audit_log'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('street'))
    migrator.migrate(migrator.drop_table('district'))

