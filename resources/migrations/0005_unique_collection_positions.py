"""Positions in a collection become unique: two tabs adding at once could give two items one
position (resources.services.add_to_collection now locks the collection). A migration of its
own, so PostgreSQL does not alter the table in the transaction that renumbers its rows."""

from django.db import migrations, models


def renumber(apps, schema_editor):
    """Two tabs adding at once could give two items one position: number each collection's
    items 1, 2, 3… in their shown order before positions become unique."""
    Item = apps.get_model("resources", "CollectionItem")
    collections = Item.objects.values_list("collection_id", flat=True).distinct()
    for collection_id in collections:
        items = list(Item.objects.filter(collection_id=collection_id).order_by("position", "id"))
        if [item.position for item in items] == list(range(1, len(items) + 1)):
            continue
        for number, item in enumerate(items, start=1):
            item.position = number
        Item.objects.bulk_update(items, ["position"])


class Migration(migrations.Migration):
    dependencies = [("resources", "0004_tokens_and_positions")]

    operations = [
        migrations.RunPython(renumber, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="collectionitem",
            constraint=models.UniqueConstraint(
                fields=("collection", "position"), name="collection_item_position_once"
            ),
        ),
    ]
