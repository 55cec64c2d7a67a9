"""The coordinators' dashboard: the regional picture, per municipality, pictures, actions.

`selectors` composes the apps' reads into one dataclass, `views` renders it, `exports` turns
its tables into CSV/XLSX.
"""
