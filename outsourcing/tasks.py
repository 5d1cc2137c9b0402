"""Background work of the project package: board-pack exports."""

from celery import shared_task

from outsourcing.models import BoardPack


@shared_task(name="outsourcing.build_board_pack", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=300, time_limit=360)
def build_board_pack(pack_id: int) -> str:
    from outsourcing.dashboard.services import board_pack_build

    pack = BoardPack.objects.filter(pk=pack_id).select_related("organisation").first()
    if pack is None:
        return "missing"
    return board_pack_build(pack=pack).status


@shared_task(name="outsourcing.sweep_board_packs")
def sweep_board_packs() -> int:
    from outsourcing.dashboard.services import board_packs_sweep

    return board_packs_sweep()
