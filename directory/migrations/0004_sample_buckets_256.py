from django.db import migrations


class Migration(migrations.Migration):
    """Search entries are sampled in 256 buckets instead of 16, so a sample stays small at a million
    listings; each entry's bucket is its listing id modulo 256."""

    dependencies = [("directory", "0003_community")]

    operations = [
        migrations.RunSQL(
            "UPDATE directory_searchentry SET sample = listing_id % 256",
            "UPDATE directory_searchentry SET sample = listing_id % 16",
        ),
    ]
