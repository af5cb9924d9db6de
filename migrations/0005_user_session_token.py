"""Each account's session token (logging out everywhere changes it), and reviewers' districts."""
import secrets

from peewee import *


def _frozen(db):
    class District(Model):
        class Meta:
            database = db
            table_name = 'district'

    class User(Model):
        role = CharField(max_length=20)
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        session_token = CharField(null=True, max_length=64)
        class Meta:
            database = db
            table_name = 'user'

    class AuditLog(Model):
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        action = CharField(max_length=50)
        target_type = CharField(max_length=30)
        target_id = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'audit_log'

    return District, User, AuditLog


def up(migrator, db):
    District, User, AuditLog = _frozen(db)
    migrator.migrate(migrator.add_column('user', 'session_token', CharField(null=True, max_length=64)))
    # Every existing account gets a token of its own: a shared default would let one cookie open several accounts.
    for user_id in [u.id for u in User.select(User.id)]:
        User.update(session_token=secrets.token_urlsafe(32)).where(User.id == user_id).execute()
    migrator.migrate(
        migrator.add_not_null('user', 'session_token'),
        migrator.add_index('user', ('session_token',), True),
    )
    _give_reviewers_a_district(District, User, AuditLog)


def _give_reviewers_a_district(District, User, AuditLog):
    """A reviewer now belongs to the district whose admin manages the account: the district of the admin who
    created it (the audit log says who), else the only district there is. One created otherwise in a database of
    several districts keeps no district, and no district admin lists or stops it."""
    Creator = User.alias()
    created = (
        AuditLog.select(AuditLog.target_id, Creator.district)
        .join(Creator, on=(AuditLog.actor == Creator.id))
        .where(AuditLog.action == 'user.create_staff', AuditLog.target_type == 'user', Creator.district.is_null(False))
        .tuples()
    )
    for user_id, district_id in created:
        User.update(district=district_id).where(
            User.id == user_id, User.role == 'reviewer', User.district.is_null()
        ).execute()
    districts = [d.id for d in District.select(District.id).limit(2)]
    if len(districts) == 1:
        User.update(district=districts[0]).where(User.role == 'reviewer', User.district.is_null()).execute()


def down(migrator, db):
    # Reviewers keep their districts: the column was there before, and a district is true of them either way.
    migrator.migrate(
        migrator.drop_index('user', 'user_session_token'),
        migrator.drop_column('user', 'session_token'),
    )
