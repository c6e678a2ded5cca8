from django.db import migrations


class Migration(migrations.Migration):
    """The registry's route generation: advanced by every routing change, read by every worker
    now and then to know when its cached host look-ups are out of date (tenants/routing.py)."""

    dependencies = [
        ("tenants", "0004_site_lifecycle"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS public.tenants_route_generation",
            "DROP SEQUENCE IF EXISTS public.tenants_route_generation",
        ),
    ]
