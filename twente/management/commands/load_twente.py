from django.core.management.base import BaseCommand

from twente.seeding import load_all


class Command(BaseCommand):
    help = "Laad de referentiedata van Twente (veilig om opnieuw te draaien)."

    def handle(self, *args, **options):
        counts = load_all()
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Referentiedata geladen ({summary})."))
