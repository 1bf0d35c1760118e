from rest_framework import viewsets
class CommunityViewSet(viewsets.ViewSet):
    pass
class MembershipViewSet(viewsets.ViewSet):
    pass
