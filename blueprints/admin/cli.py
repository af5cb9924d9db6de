"""flask create-admin, flask add-district: what the district console cannot do before it exists."""
import click
from peewee import IntegrityError

from blueprints.admin import bp
from core.forms import COMMON_PASSWORDS
from core.validators import normalize_phone
from models import District, Street, User, db


@bp.cli.command("create-admin")
@click.option("--phone", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--district", "district_code", default="310105", show_default=True, help="Division code of the district.")
def create_admin(phone, name, password, district_code):
    """Create a district admin account."""
    district = District.get_or_none(District.code == district_code)
    if district is None:
        raise click.ClickException(f"no district with code {district_code}")
    if normalize_phone(phone) is None:
        raise click.ClickException("the phone must be an 11-digit mainland mobile number")
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    if password.lower() in COMMON_PASSWORDS or normalize_phone(phone) in password:
        raise click.ClickException("that password is too easy to guess (a common one, or the phone number)")
    user = User(name=name, phone=normalize_phone(phone), role="district_admin", district=district)
    user.set_password(password)
    user.save()
    click.echo(f"district admin {name} ({user.phone}) created for {district.name}.")


@bp.cli.command("add-district")
@click.argument("code")
@click.argument("name")
@click.option("--street", "streets", multiple=True, metavar="CODE:SLUG:NAME", help="One street office or town; repeat.")
def add_district(code, name, streets):
    """Add another district with its streets, e.g. add-district 310104 徐汇区 --street 310104003:tianping:天平路街道."""
    parsed = []
    for spec in streets:
        parts = spec.split(":", 2)
        if len(parts) != 3 or not parts[0].startswith(code) or len(parts[0]) != 9 or not parts[1].isascii():
            raise click.ClickException(f"bad --street {spec!r}: want CODE:SLUG:NAME, CODE the nine-digit division code")
        parsed.append(parts)
    try:
        with db.atomic():
            district = District.create(code=code, name=name)
            for street_code, slug, street_name in parsed:
                Street.create(district=district, code=street_code, slug=slug, name=street_name)
    except IntegrityError as exc:
        raise click.ClickException(f"a district or street with that code or slug exists already ({exc})") from exc
    click.echo(f"{name} added with {len(parsed)} streets.")
