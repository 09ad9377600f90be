// The overview page's REST call: the market overview (polled).
import { api } from '../../lib/transport/api'
import type { Overview } from './overview'

export const fetchOverview = () => api<Overview>('/api/market/overview')
