from django.shortcuts import render

from municipalities.models import Role
from municipalities.roles import region_of, role_required

from .selectors import municipalities_for_region


@role_required(*Role.values)
def municipality_list(request):
    region = region_of(request.user)
    municipalities = list(municipalities_for_region(region.code if region else None))
    total = sum(m.population or 0 for m in municipalities)
    return render(
        request,
        "municipalities/municipality_list.html",
        {
            "municipalities": municipalities,
            "total_population": total,
        },
    )
